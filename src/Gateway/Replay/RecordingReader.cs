using System.Globalization;

namespace Fieldlab.Gateway.Replay;

/// <summary>Reads a recording row by row; a malformed row comes back as an error naming its line, never as zeros.</summary>
public sealed class RecordingReader : IDisposable
{
    private readonly StreamReader _reader;
    private int _line;

    private RecordingReader(string path, string format)
    {
        _reader = new StreamReader(path);
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        string? header = null;
        while (_reader.ReadLine() is { } text)
        {
            _line++;
            if (text.StartsWith('#'))
            {
                var parts = text.TrimStart('#').Trim().Split(',');
                if (parts.Length > 1 && parts[0] == "units") Units = parts.Skip(1).ToArray();
                continue;
            }
            if (string.IsNullOrWhiteSpace(text)) continue;
            header = text;
            break;
        }
        if (header is null) throw new RecordingException(_line, "the file has no header line");
        Format = RecordingFormat.FromHeader(header, format, _line);
    }

    /// <summary>The recognised layout.</summary>
    public RecordingFormat Format { get; }

    /// <summary>Units per header column from a <c># units,…</c> line (Fieldlab export), or empty.</summary>
    public IReadOnlyList<string> Units { get; private set; } = [];

    /// <summary>Opens a file and reads its header.</summary>
    public static RecordingReader Open(string path, string format) => new(path, format);

    /// <summary>Reads the next row. Returns false at the end of the file; otherwise either <paramref name="row"/> or
    /// <paramref name="error"/> is set.</summary>
    public bool TryRead(out RecordingRow row, out RecordingException? error)
    {
        row = default;
        error = null;
        string? text;
        do
        {
            text = _reader.ReadLine();
            if (text is null) return false;
            _line++;
        }
        while (string.IsNullOrWhiteSpace(text) || text.StartsWith('#'));

        var f = Format;
        var cells = text.Split(f.Separator);
        if (cells.Length != f.Columns.Count)
        {
            error = new RecordingException(_line, $"expected {f.Columns.Count} columns, found {cells.Length}");
            return true;
        }
        if (!f.TryParseTime(cells[f.TimeColumn], out long time))
        {
            error = new RecordingException(_line, $"'{cells[f.TimeColumn]}' in column '{f.Columns[f.TimeColumn]}' is not a time");
            return true;
        }
        var values = new double[f.SensorColumns.Count];
        for (int s = 0; s < values.Length; s++)
        {
            var cell = cells[f.SensorColumns[s]].Trim();
            if (cell.Length == 0)
            {
                values[s] = double.NaN; // an empty cell is "no reading" and stays absent
                continue;
            }
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                error = new RecordingException(_line, $"'{cell}' in column '{f.Columns[f.SensorColumns[s]]}' is not a finite number");
                return true;
            }
            values[s] = v;
        }
        double? anomaly = null;
        if (f.AnomalyColumn >= 0)
        {
            if (!double.TryParse(cells[f.AnomalyColumn].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var a) || a is not (0 or 1))
            {
                error = new RecordingException(_line, $"'{cells[f.AnomalyColumn]}' in column 'anomaly' is not 0 or 1");
                return true;
            }
            anomaly = a;
        }
        row = new RecordingRow(_line, time, values, anomaly);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}

/// <summary>One row of a recording.</summary>
/// <param name="Line">1-based line in the file.</param>
/// <param name="TimeNs">Recorded time, ns since the epoch.</param>
/// <param name="Values">One value per sensor column; NaN where the cell was empty.</param>
/// <param name="Anomaly">The <c>anomaly</c> label (0 or 1) of a SKAB file, or null.</param>
public readonly record struct RecordingRow(int Line, long TimeNs, double[] Values, double? Anomaly);
