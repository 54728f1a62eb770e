using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Access;

/// <summary>The one place that narrows lists to what a caller may see (the table's <c>self</c>, <c>site</c>,
/// <c>pilots</c> and <c>all</c> scopes on lists and objects without a rig in the route). Handlers list through it and
/// never write their own tenant filter; an object outside the caller's view is reported as not found.</summary>
public sealed class TenantView(MetadataDb db, RightsTable table, RigPolicy policy)
{
    /// <summary>Pilots the caller may read (a company member: its organisation's; an administrator: all).</summary>
    public IQueryable<Pilot> Pilots(Caller caller) => table.ScopeOf(new Right("pilot", "read"), caller.Role) switch
    {
        Scope.All => db.Pilots.Include(p => p.Rigs),
        Scope.Self => db.Pilots.Include(p => p.Rigs).Where(p => p.OrganisationId == caller.OrganisationId),
        _ => db.Pilots.Where(_ => false),
    };

    /// <summary>A pilot the caller may act on with <paramref name="right"/>, or null (not found, or not the caller's).</summary>
    public async Task<Pilot?> PilotAsync(Caller caller, int id, Right right, CancellationToken cancellationToken)
    {
        var query = table.ScopeOf(right, caller.Role) switch
        {
            Scope.All => db.Pilots.Include(p => p.Rigs),
            Scope.Self => db.Pilots.Include(p => p.Rigs).Where(p => p.OrganisationId == caller.OrganisationId),
            _ => db.Pilots.Where(_ => false),
        };
        return await query.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
    }

    /// <summary>Organisations the caller may read.</summary>
    public IQueryable<Organisation> Organisations(Caller caller) => table.ScopeOf(new Right("organisation", "read"), caller.Role) switch
    {
        Scope.All => db.Organisations,
        Scope.Self => db.Organisations.Where(o => o.Id == caller.OrganisationId),
        _ => db.Organisations.Where(_ => false),
    };

    /// <summary>Sites the caller may list.</summary>
    public async Task<IReadOnlyList<Site>> SitesAsync(Caller caller, CancellationToken cancellationToken)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
        switch (table.ScopeOf(new Right("site", "list"), caller.Role))
        {
            case Scope.All:
                return sites;
            case Scope.Site:
                // A sandbox (docs/datasets.md) belongs to its host site's people: its instructors, and the students of its class.
                var sandboxes = await db.Sandboxes.AsNoTracking().Where(s => s.HostSiteId == caller.SiteId).ToListAsync(cancellationToken);
                var joined = sandboxes.Where(s => caller.Role != Role.Student || s.ClassId is { } c && caller.ClassIds.Contains(c)).Select(s => s.SiteId).ToHashSet();
                return [.. sites.Where(s => s.Id == caller.SiteId || joined.Contains(s.Id))];
            case Scope.Pilots:
                var pilotSites = await db.PilotRigs.AsNoTracking()
                    .Where(r => db.Pilots.Any(p => p.Id == r.PilotId && p.OrganisationId == caller.OrganisationId))
                    .Select(r => r.SiteId).Distinct().ToListAsync(cancellationToken);
                return [.. sites.Where(s => pilotSites.Contains(s.Id))];
            default:
                return [];
        }
    }

    /// <summary>The rigs of <paramref name="site"/> whose status the caller may see, with what it may see of each.</summary>
    public async Task<IReadOnlyList<(RigRecord Rig, RigFacts Facts, RigVisibility Visibility)>> RigsAsync(Caller caller, string site, DateTime now, CancellationToken cancellationToken)
    {
        var records = await db.Rigs.AsNoTracking().Where(r => r.SiteId == site).ToDictionaryAsync(r => r.RigId, cancellationToken);
        var result = new List<(RigRecord, RigFacts, RigVisibility)>();
        foreach (var facts in await RigFactsQuery.LoadAllAsync(db, site, cancellationToken))
        {
            var visibility = policy.Evaluate(caller, facts, now);
            if (visibility.Status) result.Add((records[facts.RigId], facts, visibility));
        }
        return result;
    }

    /// <summary>Assignments the caller may act on with <paramref name="right"/> (an <c>assignment</c> right): a student
    /// those of its classes, an instructor its site's, an administrator all; nobody else any (so that an assignment
    /// outside the view answers 404 like an unknown one).</summary>
    public IQueryable<Assignment> Assignments(Caller caller, Right right) => table.ScopeOf(right, caller.Role) switch
    {
        Scope.All => db.Assignments.AsNoTracking(),
        Scope.Site => db.Assignments.AsNoTracking().Where(a => a.SiteId == caller.SiteId),
        Scope.Class => db.Assignments.AsNoTracking().Where(a => caller.ClassIds.Contains(a.ClassId)),
        _ => db.Assignments.Where(_ => false),
    };

    /// <summary>Audit entries the caller may read: an instructor those of its site, an administrator all.</summary>
    public IQueryable<AuditEntry> Audit(Caller caller, string? site) => table.ScopeOf(new Right("audit", "read"), caller.Role) switch
    {
        Scope.All => site is null ? db.Audit : db.Audit.Where(a => a.SiteId == site),
        Scope.Site when site is not null && site == caller.SiteId => db.Audit.Where(a => a.SiteId == site),
        _ => db.Audit.Where(_ => false),
    };
}
