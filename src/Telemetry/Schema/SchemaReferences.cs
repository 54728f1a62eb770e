namespace Fieldlab.Telemetry.Schema;

/// <summary>Checks InfluxQL text (an API query, a continuous query, a Grafana panel's or variable's query) against
/// the schema: which measurements, tags and fields it names that <see cref="FieldlabSchema"/> does not define.</summary>
/// <remarks>Understands SELECT (with INTO, subqueries in FROM, WHERE, GROUP BY), SHOW … FROM … WITH KEY, DELETE and
/// DROP SERIES, and CREATE CONTINUOUS QUERY … BEGIN SELECT … END; several statements separated by <c>;</c>. Sources are
/// <c>m</c>, <c>"rp"."m"</c> or <c>"db"."rp"."m"</c> (<c>autogen</c> and an empty policy mean the default one). Not
/// checked: what a regex source (<c>FROM /…/</c>) matches, names built from template variables (<c>"$sensor"</c>), and
/// the columns of an outer query over a subquery (its inner query is checked). Text that cannot be tokenized (an
/// unterminated quote) throws <see cref="FormatException"/>.</remarks>
public static class SchemaReferences
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "GROUP", "BY", "ORDER", "LIMIT", "SLIMIT", "OFFSET", "SOFFSET", "AS", "ASC", "DESC",
        "INTO", "FILL", "NONE", "NULL", "PREVIOUS", "LINEAR", "TIME", "TZ", "TRUE", "FALSE", "FIELD", "TAG", "IN", "WITH", "KEY", "ON", "DISTINCT",
    };

    private static readonly HashSet<string> Clauses = new(StringComparer.OrdinalIgnoreCase)
        { "SELECT", "INTO", "FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "SLIMIT", "OFFSET", "SOFFSET", "TZ", "WITH", "ON", "END" };

    /// <summary>What <paramref name="influxQl"/> names that the Fieldlab schema lacks; empty when everything is defined.</summary>
    public static IReadOnlyList<SchemaProblem> Check(string influxQl) => Check(influxQl, FieldlabSchema.Measurements);

    /// <summary>What <paramref name="influxQl"/> names that <paramref name="schema"/> lacks.</summary>
    public static IReadOnlyList<SchemaProblem> Check(string influxQl, IReadOnlyList<Measurement> schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var tokens = InfluxQlTokens.Read(influxQl);
        var problems = new List<SchemaProblem>();
        int start = 0;
        for (int i = 0; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && !tokens[i].IsSymbol(";")) continue;
            CheckStatement(tokens, start, i, schema, problems);
            start = i + 1;
        }
        return [.. problems.Distinct()];
    }

    private static void CheckStatement(List<InfluxQlToken> t, int start, int end, IReadOnlyList<Measurement> schema, List<SchemaProblem> problems)
    {
        if (start >= end) return;
        if (t[start].Is("CREATE"))
        {
            // CREATE CONTINUOUS QUERY name ON db [RESAMPLE …] BEGIN <select> END
            int begin = IndexOf(t, start, end, "BEGIN");
            if (begin < 0) return;
            int stop = end;
            while (stop > begin && !t[stop - 1].Is("END")) stop--;
            CheckQuery(t, begin + 1, stop > begin + 1 ? stop - 1 : end, schema, problems);
            return;
        }
        if (t[start].Is("SELECT") || t[start].Is("SHOW") || t[start].Is("DELETE") || t[start].Is("DROP")) CheckQuery(t, start, end, schema, problems);
    }

    private static void CheckQuery(List<InfluxQlToken> t, int start, int end, IReadOnlyList<Measurement> schema, List<SchemaProblem> problems)
    {
        var clauses = new List<(string Name, int From, int To)>();
        int depth = 0, clauseStart = start;
        string clause = t[start].Text.ToUpperInvariant();
        for (int i = start + 1; i < end; i++)
        {
            if (t[i].IsSymbol("(")) depth++;
            else if (t[i].IsSymbol(")")) depth--;
            else if (depth == 0 && t[i].Kind == InfluxQlTokenKind.Identifier && !t[i].Quoted && Clauses.Contains(t[i].Text))
            {
                clauses.Add((clause, clauseStart + 1, i));
                clause = t[i].Text.ToUpperInvariant();
                clauseStart = i;
            }
        }
        clauses.Add((clause, clauseStart + 1, end));

        var sources = new List<Measurement>();
        bool verifiable = true;
        foreach (var (name, from, to) in clauses)
        {
            if (name == "FROM") verifiable &= Sources(t, from, to, schema, sources, problems);
            else if (name == "INTO") Into(t, from, to, schema, problems);
        }
        if (!verifiable) return;
        foreach (var (name, from, to) in clauses)
            if (name is "SELECT" or "WHERE" or "GROUP" or "WITH") Names(t, from, to, sources, tagsOnly: name is "GROUP" or "WITH", problems);
    }

    // The sources of a FROM clause; false when one of them cannot be resolved to schema measurements.
    private static bool Sources(List<InfluxQlToken> t, int from, int to, IReadOnlyList<Measurement> schema, List<Measurement> sources, List<SchemaProblem> problems)
    {
        bool verifiable = true;
        var primary = new HashSet<Measurement>();
        var legacy = new HashSet<Measurement>();
        int i = from;
        while (i < to)
        {
            if (t[i].IsSymbol("("))
            {
                int close = Matching(t, i, to);
                CheckQuery(t, i + 1, close, schema, problems);
                verifiable = false;
                i = close + 1;
            }
            else if (t[i].Kind == InfluxQlTokenKind.Regex || t[i].Kind == InfluxQlTokenKind.Variable) { verifiable = false; i++; }
            else
            {
                var (parts, next) = Dotted(t, i, to);
                i = next;
                if (parts.Count == 0) { i++; continue; }
                if (parts.Any(p => p.Contains('$', StringComparison.Ordinal))) { verifiable = false; continue; }
                var (measurement, isLegacy) = Resolve(parts, schema, problems);
                if (measurement is null) verifiable = false;
                else
                {
                    sources.Add(measurement);
                    (isLegacy ? legacy : primary).Add(measurement);
                }
            }
            while (i < to && t[i].IsSymbol(",")) i++;
        }
        // Older points of a measurement that moved are read with it, never instead of it.
        foreach (var m in legacy.Where(m => !primary.Contains(m))) problems.Add(new SchemaProblem(SchemaProblemKind.OlderPointsOnly, m.Name, m.ToString()));
        return verifiable;
    }

    private static void Into(List<InfluxQlToken> t, int from, int to, IReadOnlyList<Measurement> schema, List<SchemaProblem> problems)
    {
        var (parts, _) = Dotted(t, from, to);
        // INTO "rp".:MEASUREMENT writes to the source's name: nothing to check here.
        if (parts.Count > 0 && !parts.Any(p => p.Contains('$', StringComparison.Ordinal)) && !(from < to && t[to - 1].Is("MEASUREMENT"))
            && Resolve(parts, schema, problems) is { Legacy: true, Measurement: { } m }) problems.Add(new SchemaProblem(SchemaProblemKind.OlderPointsOnly, m.Name, m.ToString()));
    }

    // The measurement a source names, and whether it names one of the policies holding its older points.
    private static (Measurement? Measurement, bool Legacy) Resolve(List<string> parts, IReadOnlyList<Measurement> schema, List<SchemaProblem> problems)
    {
        var name = parts[^1];
        var rp = parts.Count >= 2 && parts[^2].Length > 0 ? parts[^2] : FieldlabSchema.DefaultRetentionPolicy.Name;
        if (schema.FirstOrDefault(m => m.Name == name && m.RetentionPolicy.Name == rp) is { } found) return (found, false);
        if (schema.FirstOrDefault(m => m.Name == name && m.AlsoReadFrom.Any(p => p.Name == rp)) is { } moved) return (moved, true);
        problems.Add(new SchemaProblem(SchemaProblemKind.Measurement, rp == FieldlabSchema.DefaultRetentionPolicy.Name ? name : $"{rp}.{name}", null));
        return (null, false);
    }

    // Identifiers joined by dots (db.rp.m, rp.m, db..m); an empty part stands for the default policy.
    private static (List<string> Parts, int Next) Dotted(List<InfluxQlToken> t, int i, int to)
    {
        var parts = new List<string>();
        bool expectName = true;
        while (i < to)
        {
            if (expectName && t[i].Kind == InfluxQlTokenKind.Identifier) { parts.Add(t[i].Text); expectName = false; i++; }
            else if (t[i].IsSymbol(".")) { if (expectName) parts.Add(""); expectName = true; i++; }
            else break;
        }
        return (parts, i);
    }

    // GROUP BY and WITH KEY take tags only; elsewhere a name may be either.
    private static void Names(List<InfluxQlToken> t, int from, int to, List<Measurement> sources, bool tagsOnly, List<SchemaProblem> problems)
    {
        for (int i = from; i < to; i++)
        {
            var token = t[i];
            if (token.Kind != InfluxQlTokenKind.Identifier) continue;
            if (!token.Quoted && Keywords.Contains(token.Text)) continue;
            if (token.Text == "time" || token.Text.Contains('$', StringComparison.Ordinal)) continue;
            if (i + 1 < to && t[i + 1].IsSymbol("(")) continue; // a function
            if (i > from && (t[i - 1].Is("AS") || t[i - 1].IsSymbol("::"))) continue; // an alias or a cast
            if (sources.Any(m => m.HasTag(token.Text) || (!tagsOnly && m.HasField(token.Text)))) continue;
            problems.Add(new SchemaProblem(tagsOnly ? SchemaProblemKind.Tag : SchemaProblemKind.FieldOrTag, token.Text, string.Join(", ", sources)));
        }
    }

    private static int IndexOf(List<InfluxQlToken> t, int from, int to, string keyword)
    {
        for (int i = from; i < to; i++) if (t[i].Is(keyword)) return i;
        return -1;
    }

    private static int Matching(List<InfluxQlToken> t, int open, int to)
    {
        int depth = 0;
        for (int i = open; i < to; i++)
        {
            if (t[i].IsSymbol("(")) depth++;
            else if (t[i].IsSymbol(")") && --depth == 0) return i;
        }
        throw new FormatException("Unbalanced parentheses in FROM.");
    }
}

/// <summary>What kind of name <see cref="SchemaProblem"/> reports.</summary>
public enum SchemaProblemKind
{
    /// <summary>A measurement (in a retention policy) the schema does not define.</summary>
    Measurement,

    /// <summary>A field or tag that none of the statement's measurements has.</summary>
    FieldOrTag,

    /// <summary>A tag (GROUP BY, WITH KEY) that none of the statement's measurements has.</summary>
    Tag,

    /// <summary>A measurement named only in a policy that holds its older points (<c>samples</c> in the default policy,
    /// from before <c>samples_raw</c>): reading it there alone misses everything recent.</summary>
    OlderPointsOnly,
}

/// <summary>A name in a query that the schema does not define.</summary>
/// <param name="Kind">Measurement, field or tag, or tag.</param>
/// <param name="Name">The name (<c>rp.measurement</c> outside the default policy).</param>
/// <param name="Measurements">For a field or tag: the statement's measurements it is not in; null for a measurement.</param>
public sealed record SchemaProblem(SchemaProblemKind Kind, string Name, string? Measurements)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        SchemaProblemKind.Measurement => $"measurement '{Name}' is not in the schema",
        SchemaProblemKind.Tag => $"'{Name}' is no tag of {Measurements}",
        SchemaProblemKind.OlderPointsOnly => $"'{Name}' there holds only points from before it moved: read {Measurements}",
        _ => $"'{Name}' is no field or tag of {Measurements}",
    };
}
