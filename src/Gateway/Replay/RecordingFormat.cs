using System.Globalization;
using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Replay;

/// <summary>The CSV layouts a replay reads.</summary>
/// <remarks>
/// <b>fieldlab</b> (what <c>GET /api/rigs/{rig}/export</c> writes): comma-separated; lines starting with <c>#</c> are
/// comments (<c># units,m3/h,bar,…</c> gives units); a header <c>time,&lt;sensor&gt;,…</c>; times in the wire format
/// (<c>2026-11-22T07:00:00.100000Z</c>); an empty cell is "no reading".
/// <b>skab</b> (Skoltech Anomaly Benchmark): semicolon-separated; header <c>datetime;&lt;sensor&gt;;…;anomaly;changepoint</c>;
/// times <c>yyyy-MM-dd HH:mm:ss</c> (optionally with fractions), taken as UTC; <c>anomaly</c> and <c>changepoint</c> are
/// labels, not sensors: they become ground truth.
/// </remarks>
public sealed class RecordingFormat
{
    private static readonly string[] LabelColumns = ["anomaly", "changepoint"];

    private RecordingFormat(string name, char separator, int timeColumn, IReadOnlyList<string> columns, IReadOnlyList<int> sensorColumns, IReadOnlyList<string> sensorIds, int anomalyColumn, int changepointColumn)
    {
        Name = name;
        Separator = separator;
        TimeColumn = timeColumn;
        Columns = columns;
        SensorColumns = sensorColumns;
        SensorIds = sensorIds;
        AnomalyColumn = anomalyColumn;
        ChangepointColumn = changepointColumn;
    }

    /// <summary><c>fieldlab</c> or <c>skab</c>.</summary>
    public string Name { get; }

    /// <summary>Column separator.</summary>
    public char Separator { get; }

    /// <summary>Index of the time column.</summary>
    public int TimeColumn { get; }

    /// <summary>Header names as written.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Indexes of the sensor columns.</summary>
    public IReadOnlyList<int> SensorColumns { get; }

    /// <summary>Sensor ids (naming rules applied) of the sensor columns, in the same order.</summary>
    public IReadOnlyList<string> SensorIds { get; }

    /// <summary>Index of the <c>anomaly</c> label column, or -1.</summary>
    public int AnomalyColumn { get; }

    /// <summary>Index of the <c>changepoint</c> label column, or -1.</summary>
    public int ChangepointColumn { get; }

    /// <summary>Recognises the format from the header line (<paramref name="wanted"/>: <c>auto</c>, <c>fieldlab</c>, <c>skab</c>).</summary>
    public static RecordingFormat FromHeader(string header, string wanted, int lineNumber)
    {
        bool skab = wanted == "skab" || (wanted == "auto" && header.Contains(';'));
        char separator = skab ? ';' : ',';
        var columns = header.Split(separator).Select(c => c.Trim().Trim('"')).ToArray();
        string timeName = skab ? "datetime" : "time";
        int time = Array.FindIndex(columns, c => c.Equals(timeName, StringComparison.OrdinalIgnoreCase));
        if (time < 0) throw new RecordingException(lineNumber, $"the header has no '{timeName}' column ({(skab ? "SKAB" : "Fieldlab export")} format): {header}");
        int anomaly = skab ? Array.FindIndex(columns, c => c.Equals("anomaly", StringComparison.OrdinalIgnoreCase)) : -1;
        int changepoint = skab ? Array.FindIndex(columns, c => c.Equals("changepoint", StringComparison.OrdinalIgnoreCase)) : -1;
        var sensorColumns = new List<int>();
        var ids = new List<string>();
        for (int i = 0; i < columns.Length; i++)
        {
            if (i == time || i == anomaly || i == changepoint) continue;
            if (skab && LabelColumns.Contains(columns[i], StringComparer.OrdinalIgnoreCase)) continue;
            var id = SensorId(columns[i]);
            if (ids.Contains(id)) throw new RecordingException(lineNumber, $"columns '{columns[sensorColumns[ids.IndexOf(id)]]}' and '{columns[i]}' both become sensor '{id}'");
            sensorColumns.Add(i);
            ids.Add(id);
        }
        if (ids.Count == 0) throw new RecordingException(lineNumber, "the header names no sensor columns");
        return new RecordingFormat(skab ? "skab" : "fieldlab", separator, time, columns, sensorColumns, ids, anomaly, changepoint);
    }

    /// <summary>A sensor id from a column name: lower case, runs of other characters become <c>_</c>
    /// (<c>Volume Flow RateRMS</c> → <c>volume_flow_raterms</c>).</summary>
    public static string SensorId(string column)
    {
        var id = new StringBuilder();
        foreach (var c in column.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') id.Append(c);
            else if (id.Length > 0 && id[^1] != '_') id.Append('_');
        }
        var text = id.ToString().Trim('_');
        if (text.Length == 0 || text[0] is >= '0' and <= '9') text = "s_" + text;
        if (WireNames.ExplainInvalidSensor(text) is not null) text = "s_" + text;
        return text.Length > 63 ? text[..63] : text;
    }

    /// <summary>Parses a time cell to ns since the epoch.</summary>
    public bool TryParseTime(string cell, out long nanoseconds)
    {
        cell = cell.Trim();
        if (Name == "fieldlab") return UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(cell), out nanoseconds);
        nanoseconds = 0;
        if (!DateTime.TryParseExact(cell, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return false;
        }
        nanoseconds = UtcTimestamp.ToNanoseconds(new DateTimeOffset(time, TimeSpan.Zero));
        return true;
    }
}

/// <summary>A recording cannot be read at a line; the message names it.</summary>
public sealed class RecordingException(int line, string message) : Exception($"line {line}: {message}")
{
    /// <summary>1-based line number in the file.</summary>
    public int Line { get; } = line;
}
