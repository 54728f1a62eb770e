using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Series;

/// <summary>Reads one sensor's series from the <c>samples</c> measurement. The sensor name is an identifier (validated
/// against the rig's birth and quoted); every user value is a bound parameter.</summary>
public sealed class SeriesReader(InfluxClient influx)
{
    /// <summary>Measurement the ingest service writes samples to.</summary>
    public const string Measurement = "samples";

    /// <summary>Runs the query; returns the points in time order and whether the raw result was cut at the limit.</summary>
    public async Task<(IReadOnlyList<SeriesPoint> Points, bool Truncated)> ReadAsync(RigAddress rig, string stream, string sensor, SeriesRequest request, CancellationToken cancellationToken)
    {
        var field = InfluxIdentifier.Quote(sensor);
        var where = "site = $site AND rig = $rig AND stream = $stream AND time >= $from AND time <= $to";
        InfluxQuery query;
        if (request.Every is { } every)
        {
            // InfluxQL cannot bind a duration: it is emitted from a parsed TimeSpan, never from the request text.
            var bucket = $"{(long)Math.Max(1, every.TotalMilliseconds)}ms";
            query = new InfluxQuery($"SELECT {request.Aggregate}({field}) AS value FROM \"{Measurement}\" WHERE {where} GROUP BY time({bucket}) fill(none)");
        }
        else
        {
            query = new InfluxQuery($"SELECT {field} AS value FROM \"{Measurement}\" WHERE {where} ORDER BY time ASC LIMIT {SeriesRequest.MaxRawPoints + 1}");
        }
        query.Bind("site", rig.Site).Bind("rig", rig.Rig).Bind("stream", stream).Bind("from", request.From).Bind("to", request.To);

        var result = await influx.QueryAsync(query, cancellationToken);
        var points = new List<SeriesPoint>();
        if (result.Single is { } series)
        {
            int value = series.ColumnIndex("value");
            for (int row = 0; row < series.Rows.Count; row++)
            {
                var cell = series.Rows[row][value];
                if (cell.ValueKind != System.Text.Json.JsonValueKind.Number) continue;
                points.Add(new SeriesPoint(UtcTimestamp.Format(series.GetTimeNanoseconds(row)), cell.GetDouble()));
            }
        }
        bool truncated = request.Every is null && points.Count > SeriesRequest.MaxRawPoints;
        if (truncated) points.RemoveRange(SeriesRequest.MaxRawPoints, points.Count - SeriesRequest.MaxRawPoints);
        return (points, truncated);
    }
}

/// <summary>One value of a series at its time (wire timestamp format).</summary>
public sealed record SeriesPoint(string T, double Value);

/// <summary>The response of <c>GET /api/rigs/{rig}/series</c>.</summary>
public sealed record SeriesView(string Site, string Rig, string Stream, string Sensor, string Unit, string From, string To,
    string? Every, string? Aggregate, int Count, bool Truncated, IReadOnlyList<SeriesPoint> Points);
