using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Faults;

/// <summary>The ground truth of faults staged on a rig: what was really done and when, to compare with a model's verdict.</summary>
public static class FaultsApi
{
    /// <summary>Maps <c>GET /api/rigs/{rig}/faults</c>.</summary>
    public static IEndpointRouteBuilder MapFaultsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rigs/{rig}/faults", ListAsync).WithTags("Rigs").WithName("ListFaultTruth")
            .WithSummary("Fault ground-truth events (start, step, level, clear) of a rig in a time window.");
        return app;
    }

    /// <summary>GET /api/rigs/{rig}/faults?from=&amp;to=&amp;site=</summary>
    public static async Task<IResult> ListAsync(string rig, string? from, string? to, string? site, RigDirectory directory, InfluxClient influx,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (RigsApi.Find(directory, rig, site, out var entry) is { } notFound) return notFound;
        var request = SeriesRequest.TryParse(from ?? "now-1d", to, null, null, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(errors);
        var query = new InfluxQuery("SELECT fault, action, severity, progression_per_hour, source, command_id FROM fault_truth WHERE site = $site AND rig = $rig AND time >= $from AND time <= $to ORDER BY time ASC LIMIT 10000")
            .Bind("site", entry!.Address.Site).Bind("rig", entry.Address.Rig).Bind("from", request.From).Bind("to", request.To);
        try
        {
            var result = await influx.QueryAsync(query, cancellationToken);
            var events = new List<FaultEventView>();
            if (result.Single is { } s)
            {
                foreach (var row in s.Rows)
                {
                    string Text(string column) => row[s.ColumnIndex(column)].GetString() ?? "";
                    var id = Text("command_id");
                    events.Add(new FaultEventView(UtcTimestamp.Format(row[s.ColumnIndex("time")].GetInt64()), Text("fault"), Text("action"),
                        row[s.ColumnIndex("severity")].GetDouble(), row[s.ColumnIndex("progression_per_hour")].GetDouble(), Text("source"), id.Length == 0 ? null : id));
                }
            }
            return TypedResults.Ok(events);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
    }
}

/// <summary>One ground-truth event.</summary>
public sealed record FaultEventView(string T, string Fault, string Action, double Severity, double ProgressionPerHour, string Source, string? CommandId);
