using System.Globalization;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Formats;

/// <summary>One rig stream in the gateway's replay format, byte for byte what <c>GET /api/rigs/{rig}/export</c> writes:
/// <c># fieldlab export v1 site=… rig=… stream=… kind=…</c>, <c># units,,…</c>, <c>time,&lt;sensor&gt;,…</c>, then rows with
/// wire-format times, "R" numbers and an empty cell for no reading.</summary>
/// <remarks>The gateway's reader splits on commas without unquoting, so nothing in the header may need quoting: names
/// must follow the wire naming rules and units may not hold commas or line breaks.</remarks>
internal sealed class ReplayTableFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly int[] _sensorIndexes;

    /// <summary>Creates the file and writes the header; <paramref name="sensorIndexes"/> maps each replay sensor to its
    /// index in <see cref="SampleRow.Values"/>.</summary>
    public ReplayTableFile(string path, ReplayHeader header, int[] sensorIndexes)
    {
        Validate(header);
        _sensorIndexes = sensorIndexes;
        _writer = CsvText.Create(path);
        _writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"# fieldlab export v1 site={header.Site} rig={header.Rig} stream={header.Stream} kind={header.Kind}\n"));
        _writer.Write("# units,,");
        _writer.Write(string.Join(',', header.Units));
        _writer.Write('\n');
        _writer.Write("time,");
        _writer.Write(string.Join(',', header.Sensors));
        _writer.Write('\n');
    }

    /// <summary>Data rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Appends the row's values of this stream's sensors.</summary>
    public void Write(in SampleRow row)
    {
        _writer.Write(UtcTimestamp.Format(row.TimeNs));
        foreach (var index in _sensorIndexes)
        {
            _writer.Write(',');
            if (row.Values[index] is { } v) _writer.Write(CsvText.Number(v));
        }
        _writer.Write('\n');
        Rows++;
    }

    /// <summary>Flushes everything to disk.</summary>
    public void Complete() => CsvText.FlushToDisk(_writer);

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private static void Validate(ReplayHeader header)
    {
        if (WireNames.ExplainInvalidSegment(header.Site) is { } site) throw new ArgumentException($"replay site: {site}", nameof(header));
        if (WireNames.ExplainInvalidSegment(header.Rig) is { } rig) throw new ArgumentException($"replay rig: {rig}", nameof(header));
        if (WireNames.ExplainInvalidSensor(header.Stream) is { } stream) throw new ArgumentException($"replay stream: {stream}", nameof(header));
        if (string.IsNullOrEmpty(header.Kind) || header.Kind.Any(c => char.IsWhiteSpace(c) || c is ',' or '='))
        {
            throw new ArgumentException($"replay kind '{header.Kind}' must be one word", nameof(header));
        }
        if (header.Sensors.Count == 0) throw new ArgumentException($"replay {header.Rig}/{header.Stream} names no sensors", nameof(header));
        if (header.Units.Count != header.Sensors.Count)
        {
            throw new ArgumentException($"replay {header.Rig}/{header.Stream} has {header.Sensors.Count} sensors but {header.Units.Count} units", nameof(header));
        }
        foreach (var sensor in header.Sensors)
        {
            if (WireNames.ExplainInvalidSensor(sensor) is { } why) throw new ArgumentException($"replay sensor: {why}", nameof(header));
        }
        foreach (var unit in header.Units)
        {
            if (unit is null || unit.AsSpan().IndexOfAny(",\r\n") >= 0) throw new ArgumentException($"replay unit '{unit}' may not hold a comma or line break", nameof(header));
        }
    }
}
