using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Datasets;

/// <summary>Disk quotas of datasets, per owner: a company's datasets count against the company (its organisation id),
/// everything else against the site it was frozen at (the school's share of the hall's disk). A freeze that would take
/// its owner over the quota is refused after writing and before committing, so that nothing of it stays.</summary>
public sealed class DatasetQuota(MetadataDb db, IOptions<DatasetOptions> options)
{
    /// <summary>Who a freeze by <paramref name="caller"/> at <paramref name="site"/> is counted against.</summary>
    public static string OwnerOf(Caller caller, string site) => caller.Role == Role.CompanyMember && caller.OrganisationId is { } org ? $"organisation {org}" : $"site {site}";

    /// <summary>The quota of <paramref name="owner"/> in bytes (<c>Datasets:Quotas</c> overrides <c>Datasets:QuotaMegabytes</c>).</summary>
    public long LimitOf(string owner)
    {
        var settings = options.Value;
        double megabytes = settings.Quotas.TryGetValue(owner.Split(' ')[1], out var own) ? own : settings.QuotaMegabytes;
        return (long)(megabytes * 1024 * 1024);
    }

    /// <summary>Bytes the owner's datasets take now (every version, every file).</summary>
    public async Task<long> UsedAsync(string owner, CancellationToken cancellationToken)
    {
        var parts = owner.Split(' ', 2);
        var query = parts[0] == "organisation"
            ? db.Datasets.Where(d => d.OrganisationId == parts[1])
            : db.Datasets.Where(d => d.OrganisationId == null && d.SiteId == parts[1]);
        // SQLite cannot sum a long in SQL through EF's translation of every provider alike; the list is small.
        return (await query.Select(d => d.Bytes).ToListAsync(cancellationToken)).Sum();
    }

    /// <summary>Bytes of every file under a folder (hidden labels included).</summary>
    public static long SizeOf(string folder) => new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}

/// <summary>Thrown inside a freeze's commit when the written files would take the owner over its quota.</summary>
public sealed class DatasetQuotaExceededException(string message) : Exception(message);
