using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldlab.Api.Rigs;

/// <summary>The rigs resource: what rigs exist, whether they are online, what they measure, and their data.</summary>
public static class RigsApi
{
    /// <summary>Maps the routes under <c>/api/rigs</c>.</summary>
    public static IEndpointRouteBuilder MapRigsApi(this IEndpointRouteBuilder app)
    {
        var rigs = app.MapGroup("/api/rigs").WithTags("Rigs");
        rigs.MapGet("/", ListRigs).WithName("ListRigs").WithSummary("Every rig known from its birth message, with kind, sensors and online state.");
        rigs.MapGet("/{rig}", GetRig).WithName("GetRig").WithSummary("One rig.");
        rigs.MapGet("/{rig}/series", GetSeries).WithName("GetSeries").WithSummary("One sensor's values in a time window, raw or aggregated per bucket.");
        return app;
    }

    /// <summary>GET /api/rigs</summary>
    public static Ok<RigView[]> ListRigs(RigDirectory directory) => TypedResults.Ok(directory.All.Select(RigView.From).ToArray());

    /// <summary>GET /api/rigs/{rig}?site=</summary>
    public static Results<Ok<RigView>, ProblemHttpResult> GetRig(string rig, string? site, RigDirectory directory) =>
        Find(directory, rig, site, out var entry) is { } problem ? problem : TypedResults.Ok(RigView.From(entry!));

    /// <summary>GET /api/rigs/{rig}/series?sensor=&amp;from=&amp;to=&amp;every=&amp;agg=&amp;site=</summary>
    public static async Task<Results<Ok<SeriesView>, ProblemHttpResult, ValidationProblem>> GetSeries(
        string rig, string? sensor, string? from, string? to, string? every, string? agg, string? site,
        RigDirectory directory, SeriesReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Find(directory, rig, site, out var entry) is { } notFound) return notFound;
        if (string.IsNullOrEmpty(sensor)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensor"] = ["sensor is required"] });
        var stream = entry!.Birth?.StreamOf(sensor);
        if (stream is null)
        {
            var known = entry.Birth is null ? "none known yet" : string.Join(", ", entry.Birth.Streams.SelectMany(s => s.Sensors).Select(s => s.Id));
            return TypedResults.Problem($"Rig '{rig}' has no sensor '{sensor}' (sensors: {known}).", statusCode: 404, title: "Unknown sensor");
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
            var (points, truncated) = await reader.ReadAsync(entry.Address, stream.Id, sensor, request, cancellationToken);
            var unit = stream.Sensors.First(s => s.Id == sensor).Unit;
            return TypedResults.Ok(new SeriesView(entry.Address.Site, entry.Address.Rig, stream.Id, sensor, unit,
                UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(request.From)), UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(request.To)),
                every, request.Aggregate, points.Count, truncated, points));
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
    }

    /// <summary>Finds a rig by id (and site, when the id is used at several sites); a problem result if not exactly one.</summary>
    public static ProblemHttpResult? Find(RigDirectory directory, string rig, string? site, out RigEntry? entry)
    {
        entry = null;
        var matches = directory.FindByRigId(rig).Where(r => site is null || r.Address.Site == site).ToList();
        if (matches.Count == 0) return TypedResults.Problem($"No rig '{rig}'{(site is null ? "" : $" at site '{site}'")} has announced itself.", statusCode: 404, title: "Unknown rig");
        if (matches.Count > 1) return TypedResults.Problem($"Rig id '{rig}' exists at several sites ({string.Join(", ", matches.Select(m => m.Address.Site))}); add ?site=.", statusCode: 409, title: "Ambiguous rig");
        entry = matches[0];
        return null;
    }
}
