using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Series;

/// <summary>Reads one sensor's series of the <c>samples</c> measurement, within the caller's data windows. The
/// sensor name is an identifier (validated against the rig's birth and quoted); every user value is a bound parameter.
/// Aggregated buckets that two visible windows share are merged (count, sum, min, max, first, last exactly; mean
/// weighted by count; median, stddev and spread from the larger part).</summary>
/// <remarks>An aggregation whose bucket is whole hours (and that the means answer: mean, sum, count, min, max, spread)
/// reads the 1-hour aggregates (<c>means_1h</c>, see <see cref="MeanBuckets.Finest"/>) for the buckets their continuous
/// query has settled — all but the last two hours — and the raw samples for the rest. Of the stored
/// buckets only those that lie wholly inside one of the caller's windows count, so a company member never gets a
/// bucket that mixes in data from outside its pilot's window; everyone else sees every bucket.</remarks>
public sealed class SeriesReader(RigDataReader reader, TimeProvider time)
{
    /// <summary>Runs the query; returns the points in time order and whether the raw result was cut at the limit.</summary>
    public async Task<(IReadOnlyList<SeriesPoint> Points, bool Truncated)> ReadAsync(RigScope scope, string stream, string sensor, SeriesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(request);
        var field = InfluxIdentifier.Quote(sensor);
        var parameters = new Dictionary<string, string> { ["stream"] = stream };
        var points = new List<SeriesPoint>();
        var weights = new List<double>();
        if (request.Every is not { } every)
        {
            var raw = await reader.ReadAsync(scope, scope.Visibility.Data, new RigSelect(FieldlabSchema.Samples, $"{field} AS value", "stream = $stream", parameters,
                Limit: SeriesRequest.MaxRawPoints + 1), request.From, request.To, cancellationToken);
            Collect(raw, merge: null, points, weights);
            bool truncated = points.Count > SeriesRequest.MaxRawPoints;
            if (truncated) points.RemoveRange(SeriesRequest.MaxRawPoints, points.Count - SeriesRequest.MaxRawPoints);
            return (points, truncated);
        }

        var aggregate = request.Aggregate!;
        var rawFrom = request.From;
        if (MeanBuckets.For(FieldlabSchema.Samples, every, aggregate) is { } means)
        {
            // Settled: buckets the continuous query will not recompute (it redoes the last ResampleFor); aligned to the
            // requested buckets, so that none of them is read partly from the means and partly raw.
            var settled = MeanBuckets.Floor(time.GetUtcNow() - means.ResampleFor, every);
            if (settled > request.From)
            {
                var end = settled < request.To ? settled : request.To.AddTicks(1);
                var windows = MeanBuckets.Whole(scope.Visibility.Data, means.Interval, request.From, end);
                var rows = await reader.ReadAsync(scope, windows, new RigSelect(means.Target, MeanBuckets.Fields(aggregate, sensor), "stream = $stream", parameters,
                    GroupByTime: every), request.From, request.To, cancellationToken);
                Collect(rows, aggregate, points, weights);
                rawFrom = settled;
            }
        }
        if (rawFrom <= request.To)
        {
            var rows = await reader.ReadAsync(scope, scope.Visibility.Data, new RigSelect(FieldlabSchema.Samples, $"{aggregate}({field}) AS value, count({field}) AS n",
                "stream = $stream", parameters, GroupByTime: every), rawFrom, request.To, cancellationToken);
            Collect(rows, aggregate, points, weights);
        }
        return (points, false);
    }

    // Appends the rows' points; with an aggregate, a bucket that two windows share (same time) is merged into one.
    private static void Collect(RigRows rows, string? merge, List<SeriesPoint> points, List<double> weights)
    {
        int value = rows.ColumnIndex("value");
        for (int row = 0; row < rows.Rows.Count; row++)
        {
            var cell = rows.Rows[row][value];
            if (cell.ValueKind != System.Text.Json.JsonValueKind.Number) continue;
            var t = UtcTimestamp.Format(rows.TimeNanoseconds(row));
            double n = rows.Number(row, "n") ?? 1;
            if (merge is not null && points.Count > 0 && points[^1].T == t)
            {
                points[^1] = points[^1] with { Value = Merge(merge, points[^1].Value, weights[^1], cell.GetDouble(), n) };
                weights[^1] += n;
                continue;
            }
            points.Add(new SeriesPoint(t, cell.GetDouble()));
            weights.Add(n);
        }
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
