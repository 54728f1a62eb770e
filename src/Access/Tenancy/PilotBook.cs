using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tenancy;

/// <summary>Creates, ends and shares pilots.</summary>
public static class PilotBook
{
    /// <summary>Creates a pilot of <paramref name="organisation"/> on registered rigs, from <paramref name="start"/> to
    /// <paramref name="end"/> (null: open-ended).</summary>
    public static async Task<Pilot> CreateAsync(MetadataDb db, string organisation, string? name, IReadOnlyList<RigAddress> rigs,
        DateTime start, DateTime? end, bool sharedWithInstructors, DateTime now, CancellationToken cancellationToken)
    {
        if (!await db.Organisations.AnyAsync(o => o.Id == organisation, cancellationToken).ConfigureAwait(false))
            throw new TenancyException("organisation", $"no organisation '{organisation}'", TenancyProblem.NotFound);
        if (rigs.Count == 0) throw new TenancyException("rigs", "a pilot needs at least one rig");
        if (end is { } e && e <= start) throw new TenancyException("end", "the end must be after the start");
        foreach (var rig in rigs.Distinct())
        {
            if (!await db.Rigs.AnyAsync(r => r.SiteId == rig.Site && r.RigId == rig.Rig, cancellationToken).ConfigureAwait(false))
                throw new TenancyException("rigs", $"no registered rig '{rig}'", TenancyProblem.NotFound);
        }
        var pilot = new Pilot
        {
            Name = name ?? $"{organisation} pilot",
            OrganisationId = organisation,
            Start = start,
            End = end,
            SharedWithInstructors = sharedWithInstructors,
            CreatedAt = now,
            Rigs = [.. rigs.Distinct().Select(r => new PilotRig { SiteId = r.Site, RigId = r.Rig })],
        };
        db.Pilots.Add(pilot);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return pilot;
    }

    /// <summary>Ends a pilot at <paramref name="at"/> (not before its start; an end already set earlier stays).</summary>
    public static async Task<Pilot> EndAsync(MetadataDb db, int id, DateTime at, CancellationToken cancellationToken)
    {
        var pilot = await db.Pilots.Include(p => p.Rigs).FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new TenancyException("id", $"no pilot {id}", TenancyProblem.NotFound);
        if (pilot.End is { } end && end <= at) return pilot;
        pilot.End = at < pilot.Start ? pilot.Start : at;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return pilot;
    }

    /// <summary>Shares (or stops sharing) a pilot's data with its rigs' instructors.</summary>
    public static async Task<Pilot> SetSharingAsync(MetadataDb db, int id, bool shared, CancellationToken cancellationToken)
    {
        var pilot = await db.Pilots.Include(p => p.Rigs).FirstOrDefaultAsync(p => p.Id == id, cancellationToken).ConfigureAwait(false)
            ?? throw new TenancyException("id", $"no pilot {id}", TenancyProblem.NotFound);
        pilot.SharedWithInstructors = shared;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return pilot;
    }
}
