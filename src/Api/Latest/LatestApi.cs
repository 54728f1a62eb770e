using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Latest;

/// <summary>The latest value of every sensor of a rig. "Latest" means the newest timestamp (InfluxQL <c>last()</c>), not
/// the last message received: a backlog arriving after an outage does not overwrite what is newer.</summary>
public static class LatestApi
{
    /// <summary>Maps <c>GET /api/rigs/{rig}/latest</c>.</summary>
    public static IEndpointRouteBuilder MapLatestApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rigs/{rig}/latest", LatestAsync).WithTags("Rigs").WithName("LatestValues")
            .WithSummary("The newest value of every sensor of a rig within a window (default: the last day).");
        return app;
    }

    /// <summary>GET /api/rigs/{rig}/latest?within=1d&amp;site=</summary>
    public static async Task<IResult> LatestAsync(string rig, string? within, string? site, RigDirectory directory, InfluxClient influx,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (RigsApi.Find(directory, rig, site, out var entry) is { } notFound) return notFound;
        var request = SeriesRequest.TryParse("now-" + (within ?? "1d"), "now", null, null, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["within"] = [$"'{within}' is not a duration (e.g. 15m, 1d)"] });
        var values = new List<LatestValue>();
        try
        {
            foreach (var stream in entry!.Birth?.Streams.Where(s => !s.IsWaveform) ?? [])
            {
                foreach (var sensor in stream.Sensors)
                {
                    var query = new InfluxQuery($"SELECT last({InfluxIdentifier.Quote(sensor.Id)}) AS value FROM \"{SeriesReader.Measurement}\" WHERE site = $site AND rig = $rig AND stream = $stream AND time >= $from")
                        .Bind("site", entry.Address.Site).Bind("rig", entry.Address.Rig).Bind("stream", stream.Id).Bind("from", request.From);
                    if ((await influx.QueryAsync(query, cancellationToken)).Single is { Rows.Count: > 0 } s)
                    {
                        values.Add(new LatestValue(sensor.Id, sensor.Unit, stream.Id, UtcTimestamp.Format(s.GetTimeNanoseconds(0)), s.GetDouble(0, "value")));
                    }
                }
            }
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        return TypedResults.Ok(new { site = entry.Address.Site, rig = entry.Address.Rig, online = entry.IsOnline, values });
    }
}

/// <summary>A sensor's newest value.</summary>
public sealed record LatestValue(string Sensor, string Unit, string Stream, string T, double? Value);
