using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldlab.Api.Series;

/// <summary>One sensor's values in a time window, raw or aggregated per bucket, within what the caller may see.</summary>
public static class SeriesApi
{
    /// <summary>Maps <c>GET …/series</c> in the rig group.</summary>
    public static RouteGroupBuilder MapSeriesApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/series", GetAsync).WithName("GetSeries").RequireRight(RigRights.Data)
            .WithSummary("One sensor's values in a time window, raw or aggregated per bucket (every, agg), limited to the caller's data windows.");
        return rig;
    }

    /// <summary>GET …/series?sensor=&amp;from=&amp;to=&amp;every=&amp;agg=</summary>
    public static async Task<Results<Ok<SeriesView>, ProblemHttpResult, ValidationProblem>> GetAsync(RigScope scope, string? sensor, string? from, string? to,
        string? every, string? agg, SeriesReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sensor)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensor"] = ["sensor is required"] });
        var birth = scope.Entry?.Birth;
        var stream = birth?.StreamOf(sensor);
        if (stream is null)
        {
            var known = birth is null ? "none known yet" : string.Join(", ", birth.Streams.SelectMany(s => s.Sensors).Select(s => s.Id));
            return TypedResults.Problem($"Rig '{scope.Address.Rig}' has no sensor '{sensor}' (sensors: {known}).", statusCode: 404, title: "Unknown sensor");
        }
        if (stream.IsWaveform)
        {
            return TypedResults.Problem($"'{sensor}' is an axis of the waveform stream '{stream.Id}' ({stream.RateHz} Hz); its per-frame features are in the waveform_features measurement and its raw frames in waveform_raw.waveform.",
                statusCode: 400, title: "Waveform axis");
        }
        var request = SeriesRequest.TryParse(from, to, every, agg, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(errors);
        try
        {
            var (points, truncated) = await reader.ReadAsync(scope, stream.Id, sensor, request, cancellationToken);
            var unit = stream.Sensors.First(s => s.Id == sensor).Unit;
            return TypedResults.Ok(new SeriesView(scope.Address.Site, scope.Address.Rig, stream.Id, sensor, unit,
                UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(request.From)), UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(request.To)),
                every, request.Aggregate, points.Count, truncated, points));
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
    }
}
