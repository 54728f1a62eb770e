using System.Text.Json;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Faults;

/// <summary>Faults of a rig: the ground truth of what was staged (within the caller's truth windows), and staging,
/// stepping and clearing faults — instructors only, through the API, which publishes with its own credentials, waits
/// for the gateway's reply and writes the command and the reply to the audit log.</summary>
public static class FaultsApi
{
    /// <summary>How long a command waits for the gateway's reply.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Maps <c>GET</c> and <c>POST …/faults</c> in the rig group.</summary>
    public static RouteGroupBuilder MapFaultsApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/faults", ListAsync).WithName("ListFaultTruth").RequireRight(RigRights.Truth)
            .WithSummary("Fault ground-truth events (start, step, level, clear) of a rig in a time window, within the caller's truth windows.");
        rig.MapPost("/faults", CommandAsync).WithName("CommandFault").RequireRight(RigRights.Command)
            .Accepts<FaultCommand>("application/json")
            .WithSummary("Stages, steps or clears a fault (body: the cmd/fault message of docs/telemetry.md); returns the gateway's reply.");
        return rig;
    }

    /// <summary>GET …/faults?from=&amp;to=</summary>
    public static async Task<IResult> ListAsync(RigScope scope, string? from, string? to, RigDataReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.TryParse(from ?? "now-1d", to, null, null, time.GetUtcNow(), out var errors);
        if (request is null) return TypedResults.ValidationProblem(errors);
        try
        {
            var rows = await reader.ReadAsync(scope, scope.Visibility.Truth,
                new RigSelect(FieldlabSchema.FaultTruth, "fault, action, severity, progression_per_hour, source, command_id"), request.From, request.To, cancellationToken);
            var events = new List<FaultEventView>();
            for (int r = 0; r < rows.Rows.Count; r++)
            {
                var id = rows.Text(r, "command_id") ?? "";
                events.Add(new FaultEventView(UtcTimestamp.Format(rows.TimeNanoseconds(r)), rows.Text(r, "fault") ?? "", rows.Text(r, "action") ?? "",
                    rows.Number(r, "severity") ?? 0, rows.Number(r, "progression_per_hour") ?? 0, rows.Text(r, "source") ?? "", id.Length == 0 ? null : id));
            }
            return TypedResults.Ok(events);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable");
        }
    }

    /// <summary>POST …/faults with a cmd/fault body.</summary>
    public static async Task<IResult> CommandAsync(RigScope scope, HttpRequest request, FaultCommander commander, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length > 4096) return TypedResults.Problem("A fault command is at most 4096 bytes.", statusCode: 413, title: "Too large");
        if (!WireJson.TryDecodeFaultCommand(body.ToArray(), out var command, out var decodeError))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"not a cmd/fault message: {decodeError}"] });
        var problems = Validate(command!, scope);
        if (problems.Count > 0) return TypedResults.ValidationProblem(problems);
        // Unique per request, so that replies cannot be confused; the caller's own id is kept as its prefix.
        command = command! with { Id = $"{command!.Id ?? "api"}-{Guid.NewGuid():N}" };

        CommandReply? reply;
        string outcome;
        IResult result;
        try
        {
            reply = await commander.SendAsync(scope.Address, command, ReplyTimeout, cancellationToken);
            outcome = reply is null ? "timeout" : reply.Ok ? "ok" : "refused";
            result = reply is null
                ? TypedResults.Problem($"The gateway of {scope.Address} did not answer within {ReplyTimeout.TotalSeconds:F0} s (is the rig online?).", statusCode: 504, title: "No reply")
                : reply.Ok ? TypedResults.Ok(reply) : TypedResults.UnprocessableEntity(reply);
        }
        catch (MqttException e)
        {
            reply = null;
            outcome = "failed";
            result = TypedResults.Problem(e.Message, statusCode: 503, title: "Broker unavailable");
        }
        await AuditLog.WriteAsync(db, AuditLog.ForRig(scope.Caller, scope.Address, "fault.command", command.Id,
            JsonSerializer.Serialize(new { command, reply }, AuditJson), outcome, time.GetUtcNow().UtcDateTime), CancellationToken.None);
        return result;
    }

    private static readonly JsonSerializerOptions AuditJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Dictionary<string, string[]> Validate(FaultCommand command, RigScope scope)
    {
        var problems = new Dictionary<string, string[]>();
        if (command.Action is not ("start" or "step" or "clear")) problems["action"] = ["start, step or clear"];
        if (string.IsNullOrEmpty(command.Fault)) problems["fault"] = ["required"];
        else if (scope.Entry?.Birth?.Faults is { Count: > 0 } faults && faults.All(f => f.Id != command.Fault))
            problems["fault"] = [$"rig {scope.Address} has no fault '{command.Fault}' (faults: {string.Join(", ", faults.Select(f => f.Id))})"];
        if (command.Severity is { } s && !(s >= 0 && s <= 1)) problems["severity"] = ["0 … 1"];
        if (command.Action == "start" && command.Severity is null) problems["severity"] = ["required to start a fault"];
        if (command.Id is { } id && (id.Length > 30 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))) problems["id"] = ["at most 30 of A-Z a-z 0-9 - _ ."];
        return problems;
    }
}

/// <summary>One ground-truth event.</summary>
public sealed record FaultEventView(string T, string Fault, string Action, double Severity, double ProgressionPerHour, string Source, string? CommandId);
