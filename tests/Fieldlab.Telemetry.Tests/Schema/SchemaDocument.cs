using System.Text.RegularExpressions;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Tests.Schema;

/// <summary>The two tables of docs/telemetry.md's "InfluxDB schema" section, read back: retention policies, and
/// measurements with the names in backticks of their tags and fields cells; and how they differ from a schema.</summary>
internal static partial class SchemaDocument
{
    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    public static IReadOnlyList<string> Differences(string markdown, IReadOnlyList<Measurement> measurements, IReadOnlyList<RetentionPolicy> policies)
    {
        var (policyRows, measurementRows) = Read(markdown);
        var differences = new List<string>();
        Compare("retention policy", policyRows.Select(r => Single(r[0])), policies.Select(p => p.Name), differences);
        var documented = measurementRows.ToDictionary(r => Single(r[0]), r => r, StringComparer.Ordinal);
        var defined = measurements.ToDictionary(m => m.ToString(), m => m, StringComparer.Ordinal);
        Compare("measurement", documented.Keys, defined.Keys, differences);
        foreach (var (name, row) in documented)
        {
            if (!defined.TryGetValue(name, out var m)) continue;
            Compare($"tag of {name}", Names(row[1]), m.Tags, differences);
            Compare($"field of {name}", Names(row[2]), m.Fields.Select(f => f.Name), differences);
        }
        return differences;
    }

    private static void Compare(string what, IEnumerable<string> documented, IEnumerable<string> defined, List<string> differences)
    {
        var doc = documented.ToList();
        var code = defined.ToHashSet(StringComparer.Ordinal);
        foreach (var d in doc.GroupBy(d => d).Where(g => g.Count() > 1)) differences.Add($"{what} '{d.Key}' is documented twice");
        foreach (var d in doc.Distinct().Where(d => !code.Contains(d))) differences.Add($"{what} '{d}' is documented but not in the schema");
        foreach (var c in code.Where(c => !doc.Contains(c))) differences.Add($"{what} '{c}' is in the schema but not documented");
    }

    private static IEnumerable<string> Names(string cell) => Code().Matches(cell).Select(m => m.Groups[1].Value);

    private static string Single(string cell) => Code().Matches(cell) is { Count: 1 } one ? one[0].Groups[1].Value
        : throw new FormatException($"A first cell names exactly one thing in backticks: '{cell}'.");

    private static (List<string[]> Policies, List<string[]> Measurements) Read(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int start = lines.FindIndex(l => l.Trim() == "## InfluxDB schema");
        if (start < 0) throw new FormatException("No '## InfluxDB schema' section.");
        int end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var section = lines.GetRange(start, (end < 0 ? lines.Count : end) - start);
        return (Table(section, "retention policy"), Table(section, "measurement"));
    }

    private static List<string[]> Table(List<string> section, string firstHeader)
    {
        int header = section.FindIndex(l => Cells(l) is [var first, ..] && first == firstHeader);
        if (header < 0) throw new FormatException($"No table with the header '{firstHeader}' in the section.");
        return [.. section.Skip(header + 2).TakeWhile(l => l.TrimStart().StartsWith('|')).Select(Cells)];
    }

    private static string[] Cells(string line) => line.Trim() is var t && t.StartsWith('|') ? [.. t.Trim('|').Split('|').Select(c => c.Trim())] : [];
}
