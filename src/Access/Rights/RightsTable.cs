using System.Reflection;

namespace Fieldlab.Access.Rights;

/// <summary>The rights table: for every (resource, action), the <see cref="Scope"/> each role has. Its one definition
/// is the table between <c>&lt;!-- rights:begin --&gt;</c> and <c>&lt;!-- rights:end --&gt;</c> in docs/access.md,
/// embedded in this assembly at build time; the API enforces it and the rights-matrix test reads the same file.</summary>
public sealed class RightsTable
{
    /// <summary>Role column headers, in table order; null is the anonymous caller.</summary>
    public static readonly IReadOnlyList<(string Header, Role? Role)> Columns =
    [
        ("anonymous", null),
        ("student", Role.Student),
        ("instructor", Role.Instructor),
        ("company member", Role.CompanyMember),
        ("administrator", Role.Administrator),
    ];

    private static readonly Lazy<RightsTable> Embedded = new(() =>
    {
        using var stream = typeof(RightsTable).Assembly.GetManifestResourceStream("Fieldlab.Access.access.md")
            ?? throw new InvalidOperationException("docs/access.md is not embedded in Fieldlab.Access.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    private readonly Dictionary<Right, Scope[]> _scopes;

    private RightsTable(Dictionary<Right, Scope[]> scopes) => _scopes = scopes;

    /// <summary>The table as built into this assembly.</summary>
    public static RightsTable Current => Embedded.Value;

    /// <summary>Every right in the table.</summary>
    public IEnumerable<Right> Rights => _scopes.Keys;

    /// <summary>True if the table has a row for <paramref name="right"/>.</summary>
    public bool Contains(Right right) => _scopes.ContainsKey(right);

    /// <summary>The scope of <paramref name="role"/> (null: anonymous) for <paramref name="right"/>.</summary>
    public Scope ScopeOf(Right right, Role? role)
    {
        if (!_scopes.TryGetValue(right, out var row)) throw new KeyNotFoundException($"The rights table in docs/access.md has no row for {right}.");
        return row[role is null ? 0 : 1 + (int)role.Value];
    }

    /// <summary>Parses the table out of the text of docs/access.md; throws with the line at fault.</summary>
    public static RightsTable Parse(string markdown)
    {
        var scopes = new Dictionary<Right, Scope[]>();
        var rows = MarkdownTable.Read(markdown, "rights");
        var header = rows.Header;
        string[] expected = ["resource", "action", .. Columns.Select(c => c.Header)];
        for (int i = 0; i < expected.Length; i++)
        {
            if (header.Count <= i || !string.Equals(header[i], expected[i], StringComparison.OrdinalIgnoreCase))
                throw new FormatException($"docs/access.md line {rows.HeaderLine}: column {i + 1} of the rights table must be '{expected[i]}' (was '{(header.Count > i ? header[i] : "")}').");
        }
        foreach (var (line, cells) in rows.Rows)
        {
            if (cells.Count < expected.Length) throw new FormatException($"docs/access.md line {line}: {cells.Count} cells, expected at least {expected.Length}.");
            var right = new Right(Clean(cells[0]), Clean(cells[1]));
            var row = new Scope[Columns.Count];
            for (int c = 0; c < Columns.Count; c++)
            {
                row[c] = ScopeNames.Parse(cells[2 + c]) ?? throw new FormatException(
                    $"docs/access.md line {line}: '{cells[2 + c]}' is not a scope ({string.Join(", ", ScopeNames.All)}).");
            }
            if (!scopes.TryAdd(right, row)) throw new FormatException($"docs/access.md line {line}: {right} appears twice.");
        }
        if (scopes.Count == 0) throw new FormatException("docs/access.md: the rights table is empty.");
        return new RightsTable(scopes);
    }

    private static string Clean(string cell) => cell.Trim().Trim('`');
}
