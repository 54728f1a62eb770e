using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Api.Series;

/// <summary>Reads one sensor's series from the <c>samples</c> measurement, within the caller's data windows. The
/// sensor name is an identifier (validated against the rig's birth and quoted); every user value is a bound parameter.
/// Aggregated buckets that two visible windows share are merged (count, sum, min, max, first, last exactly; mean
/// weighted by count; median, stddev and spread from the larger part).</summary>
public sealed class SeriesReader(RigDataReader reader)
{
    /// <summary>Runs the query; returns the points in time order and whether the raw result was cut at the limit.</summary>
    public async Task<(IReadOnlyList<SeriesPoint> Points, bool Truncated)> ReadAsync(RigScope scope, string stream, string sensor, SeriesRequest request, CancellationToken cancellationToken)
    {
        var field = InfluxIdentifier.Quote(sensor);
        var parameters = new Dictionary<string, string> { ["stream"] = stream };
        var select = request.Every is { } every
            ? new RigSelect(FieldlabSchema.Samples, $"{request.Aggregate}({field}) AS value, count({field}) AS n", "stream = $stream", parameters, GroupByTime: every)
            : new RigSelect(FieldlabSchema.Samples, $"{field} AS value", "stream = $stream", parameters, Limit: SeriesRequest.MaxRawPoints + 1);
        var rows = await reader.ReadAsync(scope, scope.Visibility.Data, select, request.From, request.To, cancellationToken);
        var points = new List<SeriesPoint>();
        var weights = new List<double>();
        int value = rows.ColumnIndex("value");
        for (int row = 0; row < rows.Rows.Count; row++)
        {
            var cell = rows.Rows[row][value];
            if (cell.ValueKind != System.Text.Json.JsonValueKind.Number) continue;
            var t = UtcTimestamp.Format(rows.TimeNanoseconds(row));
            double n = rows.Number(row, "n") ?? 1;
            if (request.Every is not null && points.Count > 0 && points[^1].T == t)
            {
                points[^1] = points[^1] with { Value = Merge(request.Aggregate!, points[^1].Value, weights[^1], cell.GetDouble(), n) };
                weights[^1] += n;
                continue;
            }
            points.Add(new SeriesPoint(t, cell.GetDouble()));
            weights.Add(n);
        }
        bool truncated = request.Every is null && points.Count > SeriesRequest.MaxRawPoints;
        if (truncated) points.RemoveRange(SeriesRequest.MaxRawPoints, points.Count - SeriesRequest.MaxRawPoints);
        return (points, truncated);
    }

    private static double Merge(string aggregate, double a, double na, double b, double nb) => aggregate switch
    {
        "count" or "sum" => a + b,
        "min" => Math.Min(a, b),
        "max" => Math.Max(a, b),
        "first" => a,
        "last" => b,
        "mean" => (a * na + b * nb) / (na + nb),
        _ => nb > na ? b : a,
    };
}

/// <summary>One value of a series at its time (wire timestamp format).</summary>
public sealed record SeriesPoint(string T, double Value);

/// <summary>The response of <c>GET /api/sites/{site}/rigs/{rig}/series</c>.</summary>
public sealed record SeriesView(string Site, string Rig, string Stream, string Sensor, string Unit, string From, string To,
    string? Every, string? Aggregate, int Count, bool Truncated, IReadOnlyList<SeriesPoint> Points);
