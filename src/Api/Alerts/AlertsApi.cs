using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Alerts;

/// <summary>The condition-monitoring alerts of a rig, newest first, as ingest stored them (measurement <c>alerts</c>):
/// what students compare with the fault truth, and what a pilot's engineer reads first.</summary>
public static class AlertsApi
{
    /// <summary>Maps <c>GET …/alerts</c> in the rig group.</summary>
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/alerts", AlertsAsync).WithName("RigAlerts").RequireRight(RigRights.Data)
            .WithSummary("Alerts raised and cleared for a rig within a window (default: the last day), newest first, within the caller's data windows.");
        return rig;
    }

    /// <summary>GET …/alerts?within=1d&amp;limit=100</summary>
    public static async Task<IResult> AlertsAsync(RigScope scope, string? within, int? limit, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.TryParse("now-" + (within ?? "1d"), "now", null, null, time.GetUtcNow(), out _);
        if (request is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["within"] = [$"'{within}' is not a duration (e.g. 15m, 1d)"] });
        if (limit is < 1 or > 10_000) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1 … 10000"] });
        var alerts = new List<AlertView>();
        try
        {
            var select = new RigSelect("alerts", "\"id\", \"state\", \"kind\", \"summary\", \"defect\", \"sensors\", \"score\", \"limit\"", Descending: true, Limit: limit ?? 100);
            var rows = await reader.ReadAsync(scope, scope.Visibility.Data, select, request.From, request.To, cancellationToken);
            for (int r = 0; r < rows.Rows.Count; r++)
            {
                var sensors = rows.Text(r, "sensors");
                var defect = rows.Text(r, "defect");
                alerts.Add(new AlertView(rows.Text(r, "id") ?? "", rows.Text(r, "state") ?? "", rows.Text(r, "kind") ?? "", UtcTimestamp.Format(rows.TimeNanoseconds(r)),
                    rows.Text(r, "summary") ?? "", string.IsNullOrEmpty(defect) ? null : defect,
                    string.IsNullOrEmpty(sensors) ? [] : sensors.Split(','), rows.Number(r, "score"), rows.Number(r, "limit")));
            }
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        return TypedResults.Ok(new { site = scope.Address.Site, rig = scope.Address.Rig, alerts });
    }
}

/// <summary>One stored alert.</summary>
public sealed record AlertView(string Id, string State, string Kind, string T, string Summary, string? Defect, IReadOnlyList<string> Sensors, double? Score, double? Limit);
