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
        return new RigFacts(record.SiteId, record.RigId, record.TruthReleasedUntil, [.. pilots.Select(Facts)]);
    }

    /// <summary>The facts of every registered rig (of one site, if given), in site/rig order.</summary>
    public static async Task<IReadOnlyList<RigFacts>> LoadAllAsync(MetadataDb db, string? site, CancellationToken cancellationToken)
    {
        var rigs = await db.Rigs.AsNoTracking().Where(r => site == null || r.SiteId == site)
            .OrderBy(r => r.SiteId).ThenBy(r => r.RigId).ToListAsync(cancellationToken).ConfigureAwait(false);
        var pilots = await db.Pilots.AsNoTracking().Include(p => p.Rigs).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rigs.Select(r => new RigFacts(r.SiteId, r.RigId, r.TruthReleasedUntil,
            [.. pilots.Where(p => p.Rigs.Any(x => x.SiteId == r.SiteId && x.RigId == r.RigId)).Select(Facts)]))];
    }

    /// <summary>A pilot as the rights see it.</summary>
    public static PilotFacts Facts(Pilot p) => new(p.Id, p.OrganisationId, new TimeWindow(p.Start, p.End), p.SharedWithInstructors);
}
