using System.Text.Json;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Influx;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Alerts;

/// <summary>What people do about an alert occurrence (<c>…/alerts/{occurrence}/…</c>, key: <see cref="AlertOccurrence"/>):
/// acknowledge it, assign it to somebody who may see it, comment on it, close it with what was done (and the maintenance
/// action that did it). Only an occurrence stored by ingest and raised inside the caller's windows can be acted on; any
/// other answers 404, like an unknown one. Every change is audited (<c>alert.acknowledge</c>, <c>alert.assign</c>,
/// <c>alert.comment</c>, <c>alert.close</c>).</summary>
public static class AlertLifecycleApi
{
    private static readonly JsonSerializerOptions AuditJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Maps the lifecycle endpoints in the rig group.</summary>
    public static RouteGroupBuilder MapAlertLifecycleApi(this RouteGroupBuilder rig)
    {
        var alert = rig.MapGroup("/alerts/{occurrence}");
        alert.MapPost("/acknowledge", AcknowledgeAsync).WithName("AcknowledgeAlert").RequireRight(RigRights.Alert)
            .WithSummary("Acknowledges an alert occurrence (again: no change); a closed one answers 409.");
        alert.MapPut("/assignee", AssignAsync).WithName("AssignAlert").RequireRight(RigRights.Alert)
            .WithSummary("Assigns an alert occurrence {user} to an account that may see it, or unassigns it {user: null}.");
        alert.MapGet("/comments", CommentsAsync).WithName("AlertComments").RequireRight(RigRights.Data)
            .WithSummary("The comments on an alert occurrence, oldest first.");
        alert.MapPost("/comments", CommentAsync).WithName("CommentOnAlert").RequireRight(RigRights.Alert)
            .WithSummary("Adds a comment {text} to an alert occurrence.");
        alert.MapPost("/close", CloseAsync).WithName("CloseAlert").RequireRight(RigRights.Alert)
            .WithSummary("Closes an alert occurrence {resolution, maintenance_id?}: what was done, and the maintenance action that did it.");
        return rig;
    }

    /// <summary>POST …/alerts/{occurrence}/acknowledge</summary>
    public static async Task<IResult> AcknowledgeAsync(string occurrence, RigScope scope, RigDataReader reader, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (alert, key, problem) = await ResolveAsync(occurrence, scope, RigRights.Alert, reader, cancellationToken);
        if (problem is not null) return problem;
        var now = time.GetUtcNow().UtcDateTime;
        var c = await AlertCaseBook.OpenAsync(db, scope.Address, key, now, cancellationToken);
        if (c.Status == AlertStatus.Closed) return await RefuseAsync(db, scope, "alert.acknowledge", key, $"Alert {key} is closed; it cannot be acknowledged any more.", now);
        if (c.Status == AlertStatus.Open)
        {
            c.Status = AlertStatus.Acknowledged;
            c.AcknowledgedBy = scope.Caller.UserName;
            c.AcknowledgedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await AuditAsync(db, scope, "alert.acknowledge", key, null, "ok", now);
        }
        return TypedResults.Ok(await AlertCaseBook.AttachAsync(db, scope, alert!, key, cancellationToken));
    }

    /// <summary>PUT …/alerts/{occurrence}/assignee {"user":"anna"}</summary>
    public static async Task<IResult> AssignAsync(string occurrence, AssignAlertRequest request, RigScope scope, RigDataReader reader, MetadataDb db, RigPolicy policy,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (alert, key, problem) = await ResolveAsync(occurrence, scope, RigRights.Alert, reader, cancellationToken);
        if (problem is not null) return problem;
        var now = time.GetUtcNow().UtcDateTime;
        FieldlabUser? assignee = null;
        if (request.User is { } name)
        {
            assignee = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == name, cancellationToken);
            var classes = assignee is null ? [] : await db.ClassMembers.AsNoTracking().Where(m => m.UserId == assignee.Id).Select(m => m.ClassId).ToListAsync(cancellationToken);
            // The same answer for an unknown account and one that may not see the alert: nobody learns who exists elsewhere.
            if (assignee is null || !policy.Evaluate(CallerQuery.From(assignee, classes), scope.Facts, now).Allows(RigRights.Data, key.RaisedAt))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [$"there is no account '{name}' that may see this alert ({scope.Address}, raised {alert!.T})"] });
        }
        var c = await AlertCaseBook.OpenAsync(db, scope.Address, key, now, cancellationToken);
        if (c.Status == AlertStatus.Closed) return await RefuseAsync(db, scope, "alert.assign", key, $"Alert {key} is closed; reopening is not offered, comment on it instead.", now);
        if (c.AssigneeUserId != assignee?.Id)
        {
            c.AssigneeUserId = assignee?.Id;
            await db.SaveChangesAsync(cancellationToken);
            await AuditAsync(db, scope, "alert.assign", key, JsonSerializer.Serialize(new { assignee = assignee?.UserName }, AuditJson), "ok", now);
        }
        return TypedResults.Ok(await AlertCaseBook.AttachAsync(db, scope, alert!, key, cancellationToken));
    }

    /// <summary>GET …/alerts/{occurrence}/comments</summary>
    public static async Task<IResult> CommentsAsync(string occurrence, RigScope scope, RigDataReader reader, MetadataDb db, CancellationToken cancellationToken)
    {
        var (_, key, problem) = await ResolveAsync(occurrence, scope, RigRights.Data, reader, cancellationToken);
        if (problem is not null) return problem;
        var c = await AlertCaseBook.FindAsync(db, scope.Address, key, cancellationToken);
        var comments = c is null ? [] : await db.AlertComments.AsNoTracking().Where(x => x.CaseId == c.Id).OrderBy(x => x.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new { occurrence = key.ToString(), comments = comments.Select(AlertCommentView.Of).ToList() });
    }

    /// <summary>POST …/alerts/{occurrence}/comments {"text":"…"}</summary>
    public static async Task<IResult> CommentAsync(string occurrence, AlertCommentRequest request, RigScope scope, RigDataReader reader, MetadataDb db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 4000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["a comment of 1 to 4000 characters"] });
        var (_, key, problem) = await ResolveAsync(occurrence, scope, RigRights.Alert, reader, cancellationToken);
        if (problem is not null) return problem;
        var now = time.GetUtcNow().UtcDateTime;
        var c = await AlertCaseBook.OpenAsync(db, scope.Address, key, now, cancellationToken);
        var comment = new AlertComment { CaseId = c.Id, Author = scope.Caller.UserName, Text = text, CreatedAt = now };
        db.AlertComments.Add(comment);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(db, scope, "alert.comment", key, JsonSerializer.Serialize(new { comment = comment.Id }, AuditJson), "ok", now);
        return TypedResults.Created($"/api/sites/{scope.Address.Site}/rigs/{scope.Address.Rig}/alerts/{key}/comments", AlertCommentView.Of(comment));
    }

    /// <summary>POST …/alerts/{occurrence}/close {"resolution":"…","maintenance_id":12}</summary>
    public static async Task<IResult> CloseAsync(string occurrence, CloseAlertRequest request, RigScope scope, RigDataReader reader, MetadataDb db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var resolution = request.Resolution?.Trim();
        if (string.IsNullOrEmpty(resolution) || resolution.Length > 2000) errors["resolution"] = ["what was done, in 1 to 2000 characters"];
        MaintenanceAction? action = null;
        if (request.MaintenanceId is { } id)
        {
            action = await db.MaintenanceActions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.SiteId == scope.Address.Site && m.RigId == scope.Address.Rig, cancellationToken);
            if (action is null || !scope.Visibility.Allows(RigRights.Data, action.PerformedAt))
                errors["maintenance_id"] = [$"rig {scope.Address} has no maintenance action {id} that you may see (GET …/maintenance lists them)"];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (alert, key, problem) = await ResolveAsync(occurrence, scope, RigRights.Alert, reader, cancellationToken);
        if (problem is not null) return problem;
        var now = time.GetUtcNow().UtcDateTime;
        var c = await AlertCaseBook.OpenAsync(db, scope.Address, key, now, cancellationToken);
        if (c.Status == AlertStatus.Closed) return await RefuseAsync(db, scope, "alert.close", key, $"Alert {key} was closed already by {c.ClosedBy} at {c.ClosedAt:O}.", now);
        c.Status = AlertStatus.Closed;
        c.ClosedBy = scope.Caller.UserName;
        c.ClosedAt = now;
        c.Resolution = resolution;
        c.MaintenanceActionId = action?.Id;
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(db, scope, "alert.close", key, JsonSerializer.Serialize(new { resolution, maintenance_id = action?.Id }, AuditJson), "ok", now);
        return TypedResults.Ok(await AlertCaseBook.AttachAsync(db, scope, alert!, key, cancellationToken));
    }

    // The occurrence of the route, stored and raised inside the caller's windows of the right: 404 when the caller may
    // not read it (like an unknown one), 403 when it may read it but not act on it.
    private static async Task<(AlertView? Alert, AlertOccurrence Key, IResult? Problem)> ResolveAsync(string occurrence, RigScope scope, Right right, RigDataReader reader,
        CancellationToken cancellationToken)
    {
        if (!AlertOccurrence.TryParse(occurrence, out var key))
            return (null, default, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["occurrence"] = [AlertOccurrence.Explain(occurrence)] }));
        AlertView? alert;
        try
        {
            alert = await StoredAlerts.FindAsync(reader, scope, scope.Visibility.Data, key, cancellationToken);
        }
        catch (InfluxException e) when (e.IsTransient)
        {
            return (null, key, TypedResults.Problem(e.Message, statusCode: 503, title: "Time-series database unavailable"));
        }
        if (alert is null)
            return (null, key, TypedResults.Problem($"Rig {scope.Address} has no raised alert {key} that you may see.", statusCode: 404, title: "Unknown alert"));
        if (!scope.Visibility.Allows(right, key.RaisedAt))
            return (null, key, TypedResults.Problem($"Your role may not do this with alert {key} ({right} in docs/access.md).", statusCode: 403, title: "Not allowed"));
        return (alert, key, null);
    }

    private static async Task<IResult> RefuseAsync(MetadataDb db, RigScope scope, string action, AlertOccurrence key, string reason, DateTime now)
    {
        db.ChangeTracker.Clear();
        await AuditAsync(db, scope, action, key, JsonSerializer.Serialize(new { reason }, AuditJson), "refused", now);
        return TypedResults.Problem(reason, statusCode: 409, title: "Conflict");
    }

    private static Task AuditAsync(MetadataDb db, RigScope scope, string action, AlertOccurrence key, string? detail, string outcome, DateTime now) =>
        AuditLog.WriteAsync(db, AuditLog.ForRig(scope.Caller, scope.Address, action, key.ToString(), detail, outcome, now), CancellationToken.None);
}

/// <summary>Body of <c>PUT …/alerts/{occurrence}/assignee</c>: an account name, or null to unassign.</summary>
public sealed record AssignAlertRequest(string? User);

/// <summary>Body of <c>POST …/alerts/{occurrence}/comments</c>.</summary>
public sealed record AlertCommentRequest(string? Text);

/// <summary>Body of <c>POST …/alerts/{occurrence}/close</c>.</summary>
public sealed record CloseAlertRequest(string? Resolution, long? MaintenanceId);
