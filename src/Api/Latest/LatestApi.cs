using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Latest;

/// <summary>The latest value of every sensor of a rig that the caller may see. "Latest" means the newest timestamp
/// (InfluxQL <c>last()</c>) inside the caller's data windows, not the last message received: a backlog arriving after
/// an outage does not overwrite what is newer.</summary>
public static class LatestApi
{
    /// <summary>Maps <c>GET …/latest</c> in the rig group.</summary>
    public static RouteGroupBuilder MapLatestApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/latest", LatestAsync).WithName("LatestValues").RequireRight(RigRights.Data)
            .WithSummary("The newest value of every sensor of a rig within a window (default: the last day), within the caller's data windows.");
        return rig;
    }

    /// <summary>GET …/latest?within=1d</summary>
    public static async Task<IResult> LatestAsync(RigScope scope, string? within, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.Within(within, "1d", time.GetUtcNow());
        if (request is null) return SeriesRequest.WithinProblem(within);
        var values = new List<LatestValue>();
        try
        {
            foreach (var stream in scope.Entry?.Birth?.Streams.Where(s => !s.IsWaveform) ?? [])
            {
                foreach (var sensor in stream.Sensors)
                {
                    var select = new RigSelect(FieldlabSchema.Samples, $"last({InfluxIdentifier.Quote(sensor.Id)}) AS value", "stream = $stream",
                        new Dictionary<string, string> { ["stream"] = stream.Id }, Descending: true, Limit: 1);
                    var rows = await reader.ReadAsync(scope, scope.Visibility.Data, select, request.From, request.To, cancellationToken);
                    if (rows.Rows.Count > 0) values.Add(new LatestValue(sensor.Id, sensor.Unit, stream.Id, UtcTimestamp.Format(rows.TimeNanoseconds(0)), rows.Number(0, "value")));
                }
            }
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        return TypedResults.Ok(new { site = scope.Address.Site, rig = scope.Address.Rig, online = scope.Entry?.IsOnline ?? false, values });
    }
}

/// <summary>A sensor's newest value.</summary>
public sealed record LatestValue(string Sensor, string Unit, string Stream, string T, double? Value);
