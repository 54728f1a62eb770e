namespace Fieldlab.Access.Rights;

/// <summary>Reads one pipe table between <c>&lt;!-- {name}:begin --&gt;</c> and <c>&lt;!-- {name}:end --&gt;</c>.</summary>
public static class MarkdownTable
{
    /// <summary>Header cells and data rows (with their 1-based line numbers) of the named table.</summary>
    public static (IReadOnlyList<string> Header, int HeaderLine, IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Rows) Read(string markdown, string name)
    {
        var lines = markdown.Split('\n');
        int begin = Array.FindIndex(lines, l => l.Trim() == $"<!-- {name}:begin -->");
        int end = Array.FindIndex(lines, l => l.Trim() == $"<!-- {name}:end -->");
        if (begin < 0 || end < begin) throw new FormatException($"No table marked <!-- {name}:begin --> … <!-- {name}:end -->.");
        IReadOnlyList<string>? header = null;
        int headerLine = 0;
        var rows = new List<(int, IReadOnlyList<string>)>();
        for (int i = begin + 1; i < end; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToList();
            if (header is null) { header = cells; headerLine = i + 1; continue; }
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue; // the separator row
            rows.Add((i + 1, cells));
        }
        return (header ?? throw new FormatException($"The {name} table has no header."), headerLine, rows);
    }
}
