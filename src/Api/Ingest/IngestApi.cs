using Fieldlab.Api.Access;

namespace Fieldlab.Api.Ingest;

/// <summary>The ingest service's quarantine, replay and model state for administrators, through the API (which calls
/// ingest with its service key): <c>/api/ingest/…</c>.</summary>
public static class IngestApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/ingest").WithTags("Ingest");
        ingest.MapGet("/quarantine", (HttpContext c, IngestClient client, CancellationToken ct) => ForwardAsync(c, client, HttpMethod.Get, "quarantine", ct))
            .WithName("IngestQuarantine").RequireRight("ingest", "operate").WithSummary("Messages ingest could not accept, kept whole (filters: reason, site, rig, limit).");
        ingest.MapPost("/quarantine/replay", (HttpContext c, IngestClient client, CancellationToken ct) => ForwardAsync(c, client, HttpMethod.Post, "quarantine/replay", ct))
            .WithName("IngestQuarantineReplay").RequireRight("ingest", "operate").WithSummary("Runs quarantined messages through validation again (filters: reason, site, rig, id).");
        ingest.MapGet("/models", (HttpContext c, IngestClient client, CancellationToken ct) => ForwardAsync(c, client, HttpMethod.Get, "models", ct))
            .WithName("IngestModels").RequireRight("ingest", "operate").WithSummary("The state of every live model.");
        ingest.MapGet("/metrics", (HttpContext c, IngestClient client, CancellationToken ct) => ForwardAsync(c, client, HttpMethod.Get, "stats", ct))
            .WithName("IngestMetrics").RequireRight("ingest", "operate").WithSummary("Ingest's counters as JSON (its /stats): rates, lag, rejects, spool, quarantine (the console's platform page).");
        return app;
    }

    private static async Task<IResult> ForwardAsync(HttpContext context, IngestClient client, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var (status, body) = await client.SendAsync(method, path + context.Request.QueryString, cancellationToken);
        return Results.Content(body, "application/json", statusCode: status);
    }
}
