using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tenancy;

/// <summary>Registers sites, rigs and organisations.</summary>
public static class SiteRegistry
{
    /// <summary>Registers a site.</summary>
    public static async Task<Site> AddSiteAsync(MetadataDb db, string id, string? name, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidId(id) is { } problem) throw new TenancyException("id", problem);
        if (await db.Sites.AnyAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false)) throw new TenancyException("id", $"site '{id}' exists already", TenancyProblem.Conflict);
        var site = new Site { Id = id, Name = name ?? id, CreatedAt = now };
        db.Sites.Add(site);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return site;
    }

    /// <summary>Registers a rig at a site (its gateway's broker user follows from it).</summary>
    public static async Task<RigRecord> AddRigAsync(MetadataDb db, string site, string rig, string? description, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidId(rig) is { } problem) throw new TenancyException("rig", problem);
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken).ConfigureAwait(false)) throw new TenancyException("site", $"no site '{site}'", TenancyProblem.NotFound);
        if (await db.Rigs.AnyAsync(r => r.SiteId == site && r.RigId == rig, cancellationToken).ConfigureAwait(false))
            throw new TenancyException("rig", $"rig '{site}/{rig}' exists already", TenancyProblem.Conflict);
        var record = new RigRecord { SiteId = site, RigId = rig, Description = description ?? "", CreatedAt = now };
        db.Rigs.Add(record);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Registers an organisation.</summary>
    public static async Task<Organisation> AddOrganisationAsync(MetadataDb db, string id, string? name, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidId(id) is { } problem) throw new TenancyException("id", problem);
        if (await db.Organisations.AnyAsync(o => o.Id == id, cancellationToken).ConfigureAwait(false))
            throw new TenancyException("id", $"organisation '{id}' exists already", TenancyProblem.Conflict);
        var organisation = new Organisation { Id = id, Name = name ?? id, CreatedAt = now };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return organisation;
    }

    /// <summary>Registers a service principal if it is new.</summary>
    public static async Task<ServiceAccount> EnsureServiceAsync(MetadataDb db, string name, ServiceKind kind, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidId(name) is { } problem) throw new TenancyException("name", problem);
        if (PrincipalNames.IngestConnections.Any(s => s.Length > 0 && name.EndsWith(s, StringComparison.Ordinal)))
            throw new TenancyException("name", $"a service name may not end in {string.Join(" or ", PrincipalNames.IngestConnections.Where(s => s.Length > 0))}: those are an ingest replica's broker connections");
        var existing = await db.ServiceAccounts.FirstOrDefaultAsync(s => s.Name == name, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Kind != kind) throw new TenancyException("name", $"service '{name}' is a {existing.Kind} service", TenancyProblem.Conflict);
            return existing;
        }
        var service = new ServiceAccount { Name = name, Kind = kind, CreatedAt = now };
        db.ServiceAccounts.Add(service);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return service;
    }
}
