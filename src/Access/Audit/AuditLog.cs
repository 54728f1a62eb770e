using Fieldlab.Access.Store;

namespace Fieldlab.Access.Audit;

/// <summary>Writes the audit log: every command, re-baseline, truth release, sign-in failure and lockout, tenancy
/// change and erasure, with who, when, what and the outcome (docs/access.md, "What is logged").</summary>
public static class AuditLog
{
    /// <summary>Adds an entry and saves it.</summary>
    public static async Task WriteAsync(MetadataDb db, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Detail is { Length: > 8000 } detail) entry.Detail = detail[..8000] + "…";
        db.Audit.Add(entry);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An entry of something <paramref name="caller"/> did to a rig.</summary>
    public static AuditEntry ForRig(Rights.Caller caller, Fieldlab.Telemetry.Wire.RigAddress rig, string action, string? target, string? detail, string outcome, DateTime now) => new()
    {
        Time = now,
        Actor = caller.UserName,
        ActorRole = caller.Role.ToString(),
        Action = action,
        SiteId = rig.Site,
        RigId = rig.Rig,
        Target = target,
        Detail = detail,
        Outcome = outcome,
    };

    /// <summary>Deletes entries older than <paramref name="keep"/> before <paramref name="now"/>; returns how many.</summary>
    public static async Task<int> PruneAsync(MetadataDb db, TimeSpan keep, DateTime now, CancellationToken cancellationToken)
    {
        var before = now - keep;
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            System.Linq.Queryable.Where(db.Audit, a => a.Time < before), cancellationToken).ConfigureAwait(false);
    }
}
