using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>One (rig, stream) of a freeze, read from InfluxDB page by page (10,000 rows) in time order within the
/// freezer's data windows, so a freeze holds one page per source in memory whatever the range.</summary>
internal sealed class SampleSource(RigDataReader reader, RigAddress rig, WindowSet windows, StreamSpec stream, IReadOnlyList<string> sensors,
    int[] columnOf, int width, DateTimeOffset from, DateTimeOffset to)
{
    private const int Page = 10_000;
    private readonly Queue<SampleRow> _rows = new();
    private DateTimeOffset _next = from;
    private bool _done;

    /// <summary>The rig.</summary>
    public RigAddress Rig => rig;

    /// <summary>The stream.</summary>
    public string Stream => stream.Id;

    /// <summary>The next row without taking it, or null at the end.</summary>
    public async ValueTask<SampleRow?> PeekAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count == 0 && !_done) await FillAsync(cancellationToken);
        return _rows.Count > 0 ? _rows.Peek() : null;
    }

    /// <summary>Takes the row <see cref="PeekAsync"/> returned.</summary>
    public SampleRow Take() => _rows.Dequeue();

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var fields = string.Join(", ", sensors.Select(InfluxIdentifier.Quote));
        // [from, to): the reader includes its end, so the last tick before `to` is the end asked for.
        var end = to.AddTicks(-1);
        if (_next > end) { _done = true; return; }
        var rows = await reader.ReadAsync(rig, windows, new RigSelect(FieldlabSchema.Samples, fields, "stream = $stream",
            new Dictionary<string, string> { ["stream"] = stream.Id }, Limit: Page), _next, end, cancellationToken);
        var columns = sensors.Select(rows.ColumnIndex).ToArray();
        for (int r = 0; r < rows.Rows.Count; r++)
        {
            var values = new double?[width];
            for (int s = 0; s < columns.Length; s++)
            {
                if (columns[s] >= 0 && rows.Rows[r][columns[s]].ValueKind == System.Text.Json.JsonValueKind.Number) values[columnOf[s]] = rows.Rows[r][columns[s]].GetDouble();
            }
            _rows.Enqueue(new SampleRow(rows.TimeNanoseconds(r), rig.Rig, stream.Id, values));
        }
        if (rows.Rows.Count < Page) _done = true;
        // The next page starts one tick after the last row (DateTimeOffset resolves 100 ns; rows are ≥ 1 ms apart).
        if (rows.Rows.Count > 0) _next = UtcTimestamp.FromNanoseconds(rows.TimeNanoseconds(rows.Rows.Count - 1)).AddTicks(1);
    }
}
