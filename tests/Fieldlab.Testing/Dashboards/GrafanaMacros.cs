using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fieldlab.Testing.Dashboards;

/// <summary>What Grafana does to an InfluxQL query before sending it: the time macros and template variables,
/// substituted as Grafana documents them (grafana.com/docs/grafana/latest/datasources/influxdb/template-variables and
/// …/dashboards/variables/add-template-variables/#global-variables; the InfluxDB data source's
/// <c>interpolateQueryExpr</c>: a multi-value or include-all variable is regex-escaped, several values become
/// <c>(a|b)</c>, a custom all value goes in as written).</summary>
public static partial class GrafanaMacros
{
    /// <summary>Grafana's global variables this substitution knows.</summary>
    public static IReadOnlySet<string> BuiltIns { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "timeFilter", "__timeFilter", "__interval", "__interval_ms", "__from", "__to", "__range", "__range_s", "__range_ms", "__rate_interval",
    };

    /// <summary>Every <c>$name</c>, <c>${name}</c> or <c>[[name]]</c> a text refers to.</summary>
    public static IEnumerable<string> References(string text) =>
        VariablePattern().Matches(text).Select(m => m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value).Distinct();

    /// <summary>Expands a query for the range <paramref name="from"/>–<paramref name="to"/> at <paramref name="interval"/>,
    /// with the template variables' values (<see cref="VariableValue"/>); an unknown variable throws.</summary>
    public static string Expand(string query, DateTimeOffset from, DateTimeOffset to, TimeSpan interval, IReadOnlyDictionary<string, VariableValue> variables)
    {
        long fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds();
        var range = to - from;
        return VariablePattern().Replace(query, m =>
        {
            var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value;
            return name switch
            {
                // The InfluxDB data source: "time >= {from}ms and time <= {to}ms".
                "timeFilter" or "__timeFilter" => $"time >= {fromMs}ms and time <= {toMs}ms",
                "__interval" or "__rate_interval" => Interval(interval),
                "__interval_ms" => ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "__from" => fromMs.ToString(CultureInfo.InvariantCulture),
                "__to" => toMs.ToString(CultureInfo.InvariantCulture),
                "__range" => Interval(range),
                "__range_s" => ((long)range.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "__range_ms" => ((long)range.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                _ when variables.TryGetValue(name, out var value) => value.Format(),
                _ => throw new ArgumentException($"'{m.Value}' is neither a Grafana global variable nor one of the dashboard's ({string.Join(", ", variables.Keys)})"),
            };
        });
    }

    /// <summary>An interval as Grafana writes <c>$__interval</c> (its <c>secondsToHms</c>: the largest whole unit,
    /// <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>, <c>1y</c>; 90 s is <c>1m</c>).</summary>
    public static string Interval(TimeSpan interval)
    {
        var ms = (long)interval.TotalMilliseconds;
        if (ms <= 0) throw new ArgumentOutOfRangeException(nameof(interval), "an interval must be positive");
        (long Size, string Unit)[] units = [(31_536_000_000L, "y"), (86_400_000L, "d"), (3_600_000L, "h"), (60_000L, "m"), (1000L, "s")];
        foreach (var (size, unit) in units)
            if (ms >= size) return $"{ms / size}{unit}";
        return $"{ms}ms";
    }

    [GeneratedRegex(@"\$(?<a>[A-Za-z_][A-Za-z0-9_]*)|\$\{(?<b>[A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}|\[\[(?<c>[A-Za-z_][A-Za-z0-9_]*)\]\]")]
    private static partial Regex VariablePattern();
}

/// <summary>The value a dashboard variable takes in one expansion: one or several values, or the variable's "All"
/// with its custom all value; <paramref name="MultiOrAll"/> when the variable allows several values or "All" (Grafana
/// regex-escapes those, because the dashboards use them inside <c>=~ /^$var$/</c>).</summary>
public sealed record VariableValue(IReadOnlyList<string> Values, bool MultiOrAll, string? AllValue = null)
{
    /// <summary>A single-value variable.</summary>
    public static VariableValue Single(string value) => new([value], false);

    /// <summary>The text Grafana puts in the query.</summary>
    public string Format()
    {
        if (AllValue is not null) return AllValue;
        if (!MultiOrAll) return Values.Count == 1 ? Values[0] : throw new InvalidOperationException("a single-value variable holds one value");
        var escaped = Values.Select(EscapeRegex).ToList();
        return escaped.Count == 1 ? escaped[0] : "(" + string.Join('|', escaped) + ")";
    }

    // Grafana's escapeRegex: every character of /[\\^$*+?.()|[\]{}\/]/ gets a backslash.
    private static string EscapeRegex(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (@"\^$*+?.()|[]{}/".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
