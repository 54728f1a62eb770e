using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Api.Alerts;

/// <summary>The condition-monitoring alerts of a rig, newest first, as ingest stored them (measurement <c>alerts</c>):
/// what students compare with the fault truth, and what a pilot's engineer reads first. Each raise carries its
/// occurrence key and what people did about it (<see cref="AlertLifecycleApi"/>).</summary>
public static class AlertsApi
{
    /// <summary>Maps <c>GET …/alerts</c> in the rig group.</summary>
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/alerts", AlertsAsync).WithName("RigAlerts").RequireRight(RigRights.Data)
            .WithSummary("Alerts raised and cleared for a rig within a window (default: the last day), newest first, within the caller's data windows; each raise with its occurrence key and lifecycle.");
        return rig;
    }

    /// <summary>GET …/alerts?within=1d&amp;limit=100</summary>
    public static async Task<IResult> AlertsAsync(RigScope scope, string? within, int? limit, RigDataReader reader, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.Within(within, "1d", time.GetUtcNow());
        if (request is null) return SeriesRequest.WithinProblem(within);
        if (limit is < 1 or > 10_000) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1 … 10000"] });
        IReadOnlyList<(AlertView View, long Ns)> stored;
        try
        {
            stored = await StoredAlerts.ReadAsync(reader, scope, scope.Visibility.Data, request.From, request.To, limit ?? 100, cancellationToken);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        var alerts = await AlertCaseBook.AttachAsync(db, scope, stored, cancellationToken);
        return TypedResults.Ok(new { site = scope.Address.Site, rig = scope.Address.Rig, alerts });
    }
}
