using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Alerts;

/// <summary>The alert cases of the store: opening one when somebody first acts on an occurrence, and attaching what
/// people did to the alerts a caller reads.</summary>
public static class AlertCaseBook
{
    /// <summary>The alerts with each raise's occurrence key and lifecycle.</summary>
    public static async Task<IReadOnlyList<AlertView>> AttachAsync(MetadataDb db, RigScope scope, IReadOnlyList<(AlertView View, long Ns)> alerts, CancellationToken cancellationToken)
    {
        var raised = alerts.Where(a => a.View.State == "raised").ToList();
        if (raised.Count == 0) return [.. alerts.Select(a => a.View)];
        long min = raised.Min(a => a.Ns), max = raised.Max(a => a.Ns);
        var cases = await db.AlertCases.AsNoTracking()
            .Where(c => c.SiteId == scope.Address.Site && c.RigId == scope.Address.Rig && c.RaisedAtNs >= min && c.RaisedAtNs <= max)
            .ToListAsync(cancellationToken);
        var byOccurrence = cases.ToDictionary(c => new AlertOccurrence(c.AlertId, c.RaisedAtNs));
        var lifecycles = await LifecyclesAsync(db, scope, cases, cancellationToken);
        return [.. alerts.Select(a =>
        {
            if (a.View.State != "raised") return a.View;
            var occurrence = new AlertOccurrence(a.View.Id, a.Ns);
            return a.View with
            {
                Occurrence = occurrence.ToString(),
                Lifecycle = byOccurrence.TryGetValue(occurrence, out var c) ? lifecycles[c.Id] : AlertLifecycleView.Open,
            };
        })];
    }

    /// <summary>The alert with the lifecycle of its case (or open).</summary>
    public static async Task<AlertView> AttachAsync(MetadataDb db, RigScope scope, AlertView alert, AlertOccurrence occurrence, CancellationToken cancellationToken)
    {
        var c = await FindAsync(db, scope.Address, occurrence, cancellationToken);
        var lifecycle = c is null ? AlertLifecycleView.Open : (await LifecyclesAsync(db, scope, [c], cancellationToken))[c.Id];
        return alert with { Occurrence = occurrence.ToString(), Lifecycle = lifecycle };
    }

    /// <summary>The case of an occurrence, or null when nobody has acted on it.</summary>
    public static Task<AlertCase?> FindAsync(MetadataDb db, RigAddress rig, AlertOccurrence occurrence, CancellationToken cancellationToken) =>
        db.AlertCases.FirstOrDefaultAsync(c => c.SiteId == rig.Site && c.RigId == rig.Rig && c.AlertId == occurrence.AlertId && c.RaisedAtNs == occurrence.RaisedAtNs, cancellationToken);

    /// <summary>The case of an occurrence, opened (and saved) if there is none yet.</summary>
    public static async Task<AlertCase> OpenAsync(MetadataDb db, RigAddress rig, AlertOccurrence occurrence, DateTime now, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, rig, occurrence, cancellationToken) is { } existing) return existing;
        var created = new AlertCase
        {
            SiteId = rig.Site,
            RigId = rig.Rig,
            AlertId = occurrence.AlertId,
            RaisedAtNs = occurrence.RaisedAtNs,
            RaisedAt = occurrence.RaisedAt,
            CreatedAt = now,
        };
        db.AlertCases.Add(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return created;
        }
        catch (DbUpdateException)
        {
            // Somebody else opened it at the same moment (the unique index): act on theirs.
            db.Entry(created).State = EntityState.Detached;
            return await FindAsync(db, rig, occurrence, cancellationToken) ?? throw new InvalidOperationException($"Alert case {occurrence} could neither be made nor found.");
        }
    }

    private static async Task<Dictionary<long, AlertLifecycleView>> LifecyclesAsync(MetadataDb db, RigScope scope, IReadOnlyList<AlertCase> cases, CancellationToken cancellationToken)
    {
        if (cases.Count == 0) return [];
        var ids = cases.Select(c => c.Id).ToList();
        var comments = await db.AlertComments.AsNoTracking().Where(c => ids.Contains(c.CaseId)).GroupBy(c => c.CaseId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var assigneeIds = cases.Select(c => c.AssigneeUserId).OfType<string>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => assigneeIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", cancellationToken);
        var actionIds = cases.Select(c => c.MaintenanceActionId).OfType<long>().Distinct().ToList();
        var actions = await db.MaintenanceActions.AsNoTracking().Where(m => actionIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        return cases.ToDictionary(c => c.Id, c =>
        {
            // A linked action shows only to those who may see it (it may lie in another company's pilot window).
            var action = c.MaintenanceActionId is { } m && actions.TryGetValue(m, out var a) && scope.Visibility.Allows(RigRights.Data, a.PerformedAt) ? a : null;
            return AlertLifecycleView.Of(c, c.AssigneeUserId is { } u ? names.GetValueOrDefault(u) : null, comments.GetValueOrDefault(c.Id),
                action is null ? null : new MaintenanceLinkView(action.Id, action.What, action.Component, action.PerformedAt));
        });
    }
}
