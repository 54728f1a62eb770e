using System.Globalization;
using System.Text.Json;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Alerts;
using Fieldlab.Api.Ingest;
using Fieldlab.Api.Series;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Maintenance;

/// <summary>The maintenance log of a rig (<c>…/maintenance</c>): what was done, on which component, when and by whom.
/// A record belongs to the time it was performed: who may read the rig's data then may read it, and who may maintain
/// the rig then may record it. With <c>rebaseline: true</c> the rig's models learn a new baseline through ingest, as
/// <c>POST …/models/baseline</c> does, when the caller also has that right.</summary>
public static class MaintenanceApi
{
    /// <summary>How far ahead of the API's clock a performed time may lie (clocks of people's machines differ a little).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions AuditJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Maps <c>GET</c> and <c>POST …/maintenance</c> in the rig group.</summary>
    public static RouteGroupBuilder MapMaintenanceApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/maintenance", ListAsync).WithName("ListMaintenance").RequireRight(RigRights.Data)
            .WithSummary("Maintenance actions of a rig performed in a window (default: the last 30 days), newest first, within the caller's data windows.");
        rig.MapPost("/maintenance", RecordAsync).WithName("RecordMaintenance").RequireRight(RigRights.Maintain)
            .WithSummary("Records a maintenance action {what, component, performed_at?, notes?, rebaseline?}; performed by the caller.");
        return rig;
    }

    /// <summary>GET …/maintenance?from=now-30d&amp;to=now&amp;limit=100</summary>
    public static async Task<IResult> ListAsync(RigScope scope, string? from, string? to, int? limit, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = SeriesRequest.TryParse(from ?? "now-30d", to, null, null, time.GetUtcNow(), out var errors);
        if (limit is < 1 or > 1000) errors["limit"] = ["1 … 1000"];
        if (request is null || errors.Count > 0) return TypedResults.ValidationProblem(errors);
        DateTime f = request.From.UtcDateTime, t = request.To.UtcDateTime;
        var inRange = await db.MaintenanceActions.AsNoTracking()
            .Where(m => m.SiteId == scope.Address.Site && m.RigId == scope.Address.Rig && m.PerformedAt >= f && m.PerformedAt <= t)
            .OrderByDescending(m => m.PerformedAt).ThenByDescending(m => m.Id).ToListAsync(cancellationToken);
        var visible = inRange.Where(m => scope.Visibility.Allows(RigRights.Data, m.PerformedAt)).Take(limit ?? 100).ToList();
        var alerts = await ClosedAlertsAsync(db, scope, visible.Select(m => m.Id).ToList(), cancellationToken);
        return TypedResults.Ok(new
        {
            site = scope.Address.Site,
            rig = scope.Address.Rig,
            maintenance = visible.Select(m => MaintenanceView.Of(m, alerts.GetValueOrDefault(m.Id) ?? [])).ToList(),
        });
    }

    /// <summary>POST …/maintenance {"what":"bearing replaced","component":"drive-end bearing","performed_at":"now","notes":"…","rebaseline":true}</summary>
    public static async Task<IResult> RecordAsync(RigScope scope, MaintenanceRequest request, MetadataDb db, IngestClient ingest, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (performedAt, errors) = Validate(request, now);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        // Rights before anything is stored: a refused request leaves no half of itself behind.
        if (!scope.Visibility.Allows(RigRights.Maintain, performedAt))
            return TypedResults.Problem($"You may record maintenance on {scope.Address} only for times inside your windows ({scope.Visibility.Maintain}); nothing was recorded.",
                statusCode: 403, title: "Not allowed");
        bool rebaseline = request.Rebaseline == true;
        if (rebaseline && !scope.Visibility.Allows(RigRights.Rebaseline))
            return TypedResults.Problem($"Re-baselining {scope.Address}'s models needs {RigRights.Rebaseline} (docs/access.md), which your role does not have now; nothing was recorded. Record it without rebaseline, or ask an instructor.",
                statusCode: 403, title: "Not allowed");
        var action = new MaintenanceAction
        {
            SiteId = scope.Address.Site,
            RigId = scope.Address.Rig,
            What = request.What!.Trim(),
            Component = request.Component!.Trim(),
            PerformedAt = performedAt,
            Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(),
            PerformedBy = scope.Caller.UserName,
            RecordedAt = now,
            RebaselineRequested = rebaseline,
        };
        db.MaintenanceActions.Add(action);
        await db.SaveChangesAsync(cancellationToken);
        await AuditLog.WriteAsync(db, AuditLog.ForRig(scope.Caller, scope.Address, "maintenance.record", $"maintenance:{action.Id}",
            JsonSerializer.Serialize(new { action.What, action.Component, performed_at = action.PerformedAt, action.Notes, rebaseline }, AuditJson), "ok", now), CancellationToken.None);
        RebaselineView? outcome = null;
        if (rebaseline)
        {
            // Recorded first: the action happened whatever ingest answers; a failed re-baseline is reported, and can be
            // asked for again with POST …/models/baseline.
            var (status, body) = await ingest.SendAsync(HttpMethod.Post, $"models/{scope.Address.Site}/{scope.Address.Rig}/baseline", cancellationToken);
            bool ok = status is >= 200 and < 300;
            action.RebaselineOutcome = ok ? "ok" : "failed";
            await db.SaveChangesAsync(CancellationToken.None);
            await AuditLog.WriteAsync(db, AuditLog.ForRig(scope.Caller, scope.Address, "models.rebaseline", $"maintenance:{action.Id}", body, action.RebaselineOutcome,
                time.GetUtcNow().UtcDateTime), CancellationToken.None);
            outcome = new RebaselineView(action.RebaselineOutcome, status, body);
        }
        return TypedResults.Created($"/api/sites/{scope.Address.Site}/rigs/{scope.Address.Rig}/maintenance", MaintenanceView.Of(action, [], outcome));
    }

    private static (DateTime PerformedAt, Dictionary<string, string[]> Errors) Validate(MaintenanceRequest request, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.What) || request.What.Trim().Length > 200) errors["what"] = ["what was done, in 1 to 200 characters (e.g. bearing replaced)"];
        if (string.IsNullOrWhiteSpace(request.Component) || request.Component.Trim().Length > 200) errors["component"] = ["on which component, in 1 to 200 characters (e.g. drive-end bearing)"];
        if (request.Notes is { Length: > 4000 }) errors["notes"] = ["at most 4000 characters"];
        DateTime performedAt = now;
        if (request.PerformedAt is { } text && text != "now")
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                errors["performed_at"] = [$"'{text}' is not a time (RFC 3339, or now)"];
            else if (at.UtcDateTime > now + FutureTolerance) errors["performed_at"] = ["a maintenance action is recorded when it has been done, not before"];
            else performedAt = at.UtcDateTime;
        }
        return (performedAt, errors);
    }

    // Occurrence keys of the alerts closed with each action, limited to those the caller may see.
    private static async Task<Dictionary<long, List<string>>> ClosedAlertsAsync(MetadataDb db, RigScope scope, List<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        var cases = await db.AlertCases.AsNoTracking().Where(c => c.MaintenanceActionId != null && ids.Contains(c.MaintenanceActionId.Value)).ToListAsync(cancellationToken);
        return cases.Where(c => scope.Visibility.Allows(RigRights.Data, c.RaisedAt))
            .GroupBy(c => c.MaintenanceActionId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.RaisedAtNs).Select(c => new AlertOccurrence(c.AlertId, c.RaisedAtNs).ToString()).ToList());
    }
}

/// <summary>Body of <c>POST …/maintenance</c>.</summary>
/// <param name="What">What was done (required).</param>
/// <param name="Component">On which component (required).</param>
/// <param name="PerformedAt">When: RFC 3339 or <c>now</c> (the default).</param>
/// <param name="Notes">Free text.</param>
/// <param name="Rebaseline">Also make the rig's models learn a new baseline (needs <c>rig/rebaseline</c>).</param>
public sealed record MaintenanceRequest(string? What, string? Component, string? PerformedAt, string? Notes, bool? Rebaseline);
