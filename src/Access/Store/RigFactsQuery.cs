using Fieldlab.Access.Rights;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Store;

/// <summary>Loads what the rights of rigs depend on (<see cref="RigFacts"/>): fresh from the store on every call, so
/// that a pilot that was changed or ended counts at once.</summary>
public static class RigFactsQuery
{
    /// <summary>The facts of one registered rig, or null if it is not registered.</summary>
    public static async Task<RigFacts?> LoadAsync(MetadataDb db, RigAddress rig, CancellationToken cancellationToken)
    {
        var record = await db.Rigs.AsNoTracking().FirstOrDefaultAsync(r => r.SiteId == rig.Site && r.RigId == rig.Rig, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        var pilots = await db.Pilots.AsNoTracking()
            .Where(p => p.Rigs.Any(r => r.SiteId == rig.Site && r.RigId == rig.Rig))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var hidden = await HiddenTruthAsync(db, rig.Site, cancellationToken).ConfigureAwait(false);
        var sandbox = await db.Sandboxes.AsNoTracking().FirstOrDefaultAsync(s => s.SiteId == rig.Site, cancellationToken).ConfigureAwait(false);
        return new RigFacts(record.SiteId, record.RigId, record.TruthReleasedUntil, [.. pilots.Select(Facts)],
            HiddenOf(hidden, record.RigId), sandbox is null ? null : new SandboxFacts(sandbox.HostSiteId, sandbox.ClassId));
    }

    /// <summary>The facts of every registered rig (of one site, if given), in site/rig order.</summary>
    public static async Task<IReadOnlyList<RigFacts>> LoadAllAsync(MetadataDb db, string? site, CancellationToken cancellationToken)
    {
        var rigs = await db.Rigs.AsNoTracking().Where(r => site == null || r.SiteId == site)
            .OrderBy(r => r.SiteId).ThenBy(r => r.RigId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var pilots = await db.Pilots.AsNoTracking().Include(p => p.Rigs).ToListAsync(cancellationToken).ConfigureAwait(false);
        var hidden = await HiddenTruthAsync(db, site, cancellationToken).ConfigureAwait(false);
        var sandboxes = await db.Sandboxes.AsNoTracking().Where(s => site == null || s.SiteId == site)
            .ToDictionaryAsync(s => s.SiteId, s => new SandboxFacts(s.HostSiteId, s.ClassId), cancellationToken).ConfigureAwait(false);
        return [.. rigs.Select(r => new RigFacts(r.SiteId, r.RigId, r.TruthReleasedUntil,
            [.. pilots.Where(p => p.Rigs.Any(x => x.SiteId == r.SiteId && x.RigId == r.RigId)).Select(Facts)],
            HiddenOf(hidden.Where(h => h.SiteId == r.SiteId), r.RigId), sandboxes.GetValueOrDefault(r.SiteId)))];
    }

    /// <summary>The datasets with hidden labels (of one site, if given): their rigs and ranges.</summary>
    private static async Task<List<(string SiteId, string Rigs, DateTime From, DateTime To)>> HiddenTruthAsync(MetadataDb db, string? site, CancellationToken cancellationToken) =>
        [.. (await db.Datasets.AsNoTracking().Where(d => d.LabelsHidden && (site == null || d.SiteId == site))
            .Select(d => new { d.SiteId, d.Rigs, d.From, d.To }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(d => (d.SiteId, d.Rigs, d.From, d.To))];

    private static IReadOnlyList<TimeWindow>? HiddenOf(IEnumerable<(string SiteId, string Rigs, DateTime From, DateTime To)> hidden, string rig)
    {
        var windows = hidden.Where(h => h.Rigs.Split(',').Contains(rig)).Select(h => new TimeWindow(h.From, h.To)).ToList();
        return windows.Count == 0 ? null : windows;
    }

    /// <summary>A pilot as the rights see it.</summary>
    public static PilotFacts Facts(Pilot p) => new(p.Id, p.OrganisationId, new TimeWindow(p.Start, p.End), p.SharedWithInstructors);
}
