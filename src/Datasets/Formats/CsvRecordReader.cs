using System.Text;

namespace Fieldlab.Datasets.Formats;

/// <summary>Reads RFC 4180 records (quoted cells may hold commas, quotes and line breaks) one at a time, with the line
/// number each record starts on, so that a bad line can be named in an error.</summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private int _line;

    /// <summary>The 1-based line on which the last record returned started.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The next record's cells, or null at the end. Throws <see cref="FormatException"/> for an unterminated quote.</summary>
    public async Task<List<string>?> ReadAsync(CancellationToken ct)
    {
        var text = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (text is null) return null;
        _line++;
        LineNumber = _line;
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        int i = 0;
        while (true)
        {
            if (i == text.Length)
            {
                if (!quoted) break;
                // A line break inside quotes belongs to the cell.
                text = await reader.ReadLineAsync(ct).ConfigureAwait(false) ?? throw new FormatException($"line {LineNumber}: a quoted cell is not closed");
                _line++;
                cell.Append('\n');
                i = 0;
                continue;
            }
            char c = text[i++];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i < text.Length && text[i] == '"') { cell.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                wasQuoted = false;
            }
            else if (c == '"' && cell.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
