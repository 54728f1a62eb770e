using Fieldlab.Datasets.Formats;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets;

/// <summary>Writes <c>alerts.csv</c>: the alerts raised and cleared, <c>time,rig,id,state,kind,summary,defect,sensors,score,limit</c>,
/// as rows arrive (a CSV only: alerts are few, and a summary is text people read).</summary>
public sealed class AlertsTableWriter : IDisposable
{
    /// <summary>The file's name.</summary>
    public const string FileName = "alerts.csv";

    /// <summary>Its role in the manifest.</summary>
    public const string Role = "alerts";

    /// <summary>The columns, for the Table Schema.</summary>
    public static IReadOnlyList<DatasetColumn> Columns { get; } =
    [
        new("time", DatasetColumn.DateTimeType, null, "When ingest published the alert, UTC (RFC 3339, ns)"),
        DatasetColumn.Rig,
        new("id", DatasetColumn.StringType, null, "The alert within the rig: bearing, anomaly-<stream>, efficiency-<stream> or rul-<stream>; a clear carries the id it clears"),
        new("state", DatasetColumn.StringType, null, "raised or cleared"),
        new("kind", DatasetColumn.StringType, null, "bearing, anomaly, energy or rul"),
        new("summary", DatasetColumn.StringType, null, "One sentence for people") { Required = false },
        new("defect", DatasetColumn.StringType, null, "Bearing alerts: outer_race, inner_race, ball or cage (empty otherwise)") { Required = false },
        new("sensors", DatasetColumn.StringType, null, "The sensors (anomaly) or axis (bearing) that drove the verdict, most important first, comma-separated") { Required = false },
        DatasetColumn.Sensor("score", null, "The model's score"),
        DatasetColumn.Sensor("limit", null, "The limit the score was held against"),
    ];

    private readonly string _directory;
    private readonly StreamWriter _csv;
    private bool _completed;

    /// <summary>Creates the file (it may not exist) and writes the header.</summary>
    public AlertsTableWriter(string directory)
    {
        _directory = directory;
        _csv = CsvText.Create(Path.Combine(directory, FileName));
        _csv.Write(string.Join(',', Columns.Select(c => c.Name)));
        _csv.Write('\n');
    }

    /// <summary>Rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Appends an alert.</summary>
    public void Write(AlertRow row)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ArgumentNullException.ThrowIfNull(row);
        _csv.Write(UtcTimestamp.Format(row.TimeNs));
        foreach (var cell in new[] { row.Rig, row.Id, row.State, row.Kind, row.Summary, row.Defect, row.Sensors })
        {
            _csv.Write(',');
            CsvText.WriteCell(_csv, cell ?? "");
        }
        foreach (var number in new[] { row.Score, row.Limit })
        {
            _csv.Write(',');
            if (number is { } v && double.IsFinite(v)) _csv.Write(CsvText.Number(v));
        }
        _csv.Write('\n');
        Rows++;
    }

    /// <summary>Makes the file durable and describes it.</summary>
    public async Task<DatasetFile> CompleteAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        CsvText.FlushToDisk(_csv);
        _completed = true;
        await _csv.DisposeAsync();
        var file = await FileHash.DescribeAsync(_directory, FileName, "csv", SamplesTableWriter.CsvMediaType, Rows, ct);
        return file with
        {
            Role = Role, Columns = Columns,
            Description = "The condition monitor's alerts as stored, raised and cleared: `time,rig,id,state,kind,summary,defect,sensors,score,limit`; rows by rig, then time. Compare them with `labels.csv`.",
        };
    }

    /// <inheritdoc />
    public void Dispose() => _csv.Dispose();
}
