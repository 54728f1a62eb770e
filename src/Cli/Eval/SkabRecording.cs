using System.Globalization;

namespace Fieldlab.Cli.Eval;

/// <summary>One file in SKAB's format: semicolon-separated, a <c>datetime</c> column, sensor columns, and (in labelled
/// files) <c>anomaly</c> and <c>changepoint</c> columns of 0/1.</summary>
internal sealed record SkabRecording(string Name, IReadOnlyList<string> Sensors, double[] Seconds, double[][] Rows, bool[]? Anomaly, bool[]? ChangePoint)
{
    public bool IsLabelled => Anomaly is not null && ChangePoint is not null;

    /// <summary>Reads a file; any malformed line is an error naming the file and line (nothing is guessed or zeroed).</summary>
    public static SkabRecording Read(string path, string name)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new FormatException($"{name}: the file is empty");
        var columns = header.Split(';').Select(c => c.Trim()).ToArray();
        int time = Array.IndexOf(columns, "datetime");
        if (time < 0) throw new FormatException($"{name}: line 1 has no 'datetime' column");
        int anomaly = Array.IndexOf(columns, "anomaly"), changepoint = Array.IndexOf(columns, "changepoint");
        var sensorColumns = Enumerable.Range(0, columns.Length).Where(i => i != time && i != anomaly && i != changepoint).ToArray();
        if (sensorColumns.Length == 0) throw new FormatException($"{name}: no sensor columns");
        var seconds = new List<double>();
        var rows = new List<double[]>();
        var anomalies = new List<bool>();
        var changes = new List<bool>();
        int lineNumber = 1;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var cells = line.Split(';');
            if (cells.Length != columns.Length) throw new FormatException($"{name}: line {lineNumber} has {cells.Length} fields; the header has {columns.Length}");
            if (!DateTime.TryParseExact(cells[time], ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                throw new FormatException($"{name}: line {lineNumber}: '{cells[time]}' is not a datetime (yyyy-MM-dd HH:mm:ss)");
            seconds.Add(at.Ticks / (double)TimeSpan.TicksPerSecond);
            var row = new double[sensorColumns.Length];
            for (int i = 0; i < sensorColumns.Length; i++)
                row[i] = Number(cells[sensorColumns[i]], columns[sensorColumns[i]], name, lineNumber);
            rows.Add(row);
            if (anomaly >= 0) anomalies.Add(Label(cells[anomaly], "anomaly", name, lineNumber));
            if (changepoint >= 0) changes.Add(Label(cells[changepoint], "changepoint", name, lineNumber));
        }
        if (rows.Count == 0) throw new FormatException($"{name}: no data rows");
        for (int i = 1; i < seconds.Count; i++)
            if (seconds[i] < seconds[i - 1]) throw new FormatException($"{name}: line {i + 2}: time goes backwards");
        return new SkabRecording(name, [.. sensorColumns.Select(i => columns[i])], [.. seconds], [.. rows],
            anomaly >= 0 ? [.. anomalies] : null, changepoint >= 0 ? [.. changes] : null);
    }

    private static double Number(string text, string column, string name, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw new FormatException($"{name}: line {line}: column '{column}' holds '{text}', not a finite number");

    private static bool Label(string text, string column, string name, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is 0 or 1
            ? v == 1 : throw new FormatException($"{name}: line {line}: '{column}' must be 0 or 1 (got '{text}')");
}
