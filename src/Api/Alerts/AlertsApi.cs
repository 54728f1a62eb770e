using System.Text.Json;
using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Alerts;

/// <summary>The condition-monitoring alerts of a rig, newest first, as ingest stored them (measurement <c>alerts</c>):
/// what students compare with the fault truth, and what a pilot's engineer reads first.</summary>
public static class AlertsApi
{
    /// <summary>Maps <c>GET /api/rigs/{rig}/alerts</c>.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rigs/{rig}/alerts", AlertsAsync).WithTags("Rigs").WithName("RigAlerts")
            .WithSummary("Alerts raised and cleared for a rig within a window (default: the last day), newest first.");
        return app;
    }

    /// <summary>GET /api/rigs/{rig}/alerts?within=1d&amp;site=&amp;limit=100</summary>
    public static async Task<IResult> AlertsAsync(string rig, string? within, string? site, int? limit, RigDirectory directory, InfluxClient influx,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (RigsApi.Find(directory, rig, site, out var entry) is { } notFound) return notFound;
        var request = SeriesRequest.TryParse("now-" + (within ?? "1d"), "now", null, null, time.GetUtcNow(), out _);
        if (request is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["within"] = [$"'{within}' is not a duration (e.g. 15m, 1d)"] });
        if (limit is < 1 or > 10_000) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1 … 10000"] });
        var query = new InfluxQuery($"SELECT \"id\", \"state\", \"kind\", \"summary\", \"defect\", \"sensors\", \"score\", \"limit\" FROM \"alerts\" WHERE site = $site AND rig = $rig AND time >= $from ORDER BY time DESC LIMIT {limit ?? 100}")
            .Bind("site", entry!.Address.Site).Bind("rig", entry.Address.Rig).Bind("from", request.From);
        var alerts = new List<AlertView>();
        try
        {
            if ((await influx.QueryAsync(query, cancellationToken)).Single is { } s)
            {
                string? Text(JsonElement[] row, string column) => s.ColumnIndex(column) is var i and >= 0 && row[i].ValueKind == JsonValueKind.String ? row[i].GetString() : null;
                for (int r = 0; r < s.Rows.Count; r++)
                {
                    var row = s.Rows[r];
                    var sensors = Text(row, "sensors");
                    alerts.Add(new AlertView(Text(row, "id") ?? "", Text(row, "state") ?? "", Text(row, "kind") ?? "", UtcTimestamp.Format(s.GetTimeNanoseconds(r)),
                        Text(row, "summary") ?? "", string.IsNullOrEmpty(Text(row, "defect")) ? null : Text(row, "defect"),
                        string.IsNullOrEmpty(sensors) ? [] : sensors.Split(','), s.GetDouble(r, "score"), s.GetDouble(r, "limit")));
                }
            }
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
        return TypedResults.Ok(new { site = entry.Address.Site, rig = entry.Address.Rig, alerts });
    }
}

/// <summary>One stored alert.</summary>
public sealed record AlertView(string Id, string State, string Kind, string T, string Summary, string? Defect, IReadOnlyList<string> Sensors, double? Score, double? Limit);
