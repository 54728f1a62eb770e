using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Influx;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Lifecycle;

/// <summary>What happens to a pilot's data when the company asks, after the pilot ended (and after it took its export
/// bundle): <see cref="PilotDataDisposal.Delete"/> removes every point of the pilot's rigs inside the pilot's window from
/// every measurement and retention policy (raw samples, waveforms, model outputs, alerts, truth) and the alert cases and
/// maintenance actions of that window from the store; <see cref="PilotDataDisposal.Anonymise"/>
/// keeps the data but removes the company from it: the pilot is deleted (its window becomes teaching data) and the
/// audit log's references to it lose the company's name. Either is entered in the erasure register, so that it can be
/// applied again to a backup restored from before it (<see cref="ReapplyAsync"/>).</summary>
public static class PilotErasure
{
    /// <summary>Disposes of a pilot's data; needs a database client with write rights (the admin of provisioning). With
    /// <paramref name="datasetsDirectory"/>, a deletion also deletes the frozen datasets holding part of the window
    /// (<see cref="DatasetErasure"/>). Returns the number of (rig, window part) deletions, or of rigs anonymised.</summary>
    public static async Task<int> DisposeAsync(MetadataDb db, InfluxClient influx, int pilotId, PilotDataDisposal disposal, string requester, DateTime now, CancellationToken cancellationToken,
        string? datasetsDirectory = null)
    {
        var pilot = await db.Pilots.Include(p => p.Rigs).FirstOrDefaultAsync(p => p.Id == pilotId, cancellationToken).ConfigureAwait(false)
            ?? throw new TenancyException("pilot", $"no pilot {pilotId}", TenancyProblem.NotFound);
        if (pilot.End is not { } end || end > now) throw new TenancyException("pilot", $"pilot {pilotId} has not ended; end it first (its data is still being collected)", TenancyProblem.Conflict);
        int windows = 0;
        if (disposal == PilotDataDisposal.Delete)
        {
            // Another company's pilot on the same rig keeps its own data: only the part of the window no other pilot
            // covers is deleted. The register is written first, so that a deletion that fails half-way is still
            // recorded (and completed by ReapplyAsync).
            var parts = new List<(PilotRig Rig, TimeWindow Part)>();
            foreach (var rig in pilot.Rigs)
            {
                var others = await db.Pilots.AsNoTracking().Where(p => p.Id != pilot.Id && p.Rigs.Any(r => r.SiteId == rig.SiteId && r.RigId == rig.RigId))
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                var erasable = WindowSet.Of([new TimeWindow(pilot.Start, end)]).Intersect(WindowSet.Of(others.Select(o => new TimeWindow(o.Start, o.End))).Complement());
                foreach (var part in erasable.Windows)
                {
                    parts.Add((rig, part));
                    db.Erasures.Add(new ErasureRecord { Time = now, Kind = "pilot-data", SiteId = rig.SiteId, RigId = rig.RigId, From = part.From, To = part.To, Requester = requester,
                        Detail = $"points of {rig.SiteId}/{rig.RigId} in pilot {pilot.Id}'s window deleted" });
                }
            }
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (rig, part) in parts)
            {
                await DeletePointsAsync(influx, rig.SiteId, rig.RigId, part.From!.Value, part.To!.Value, cancellationToken).ConfigureAwait(false);
                await DeleteRecordsAsync(db, rig.SiteId, rig.RigId, part.From!.Value, part.To!.Value, cancellationToken).ConfigureAwait(false);
                if (datasetsDirectory is not null)
                    await DatasetErasure.DeleteAsync(db, datasetsDirectory, rig.SiteId, rig.RigId, part.From!.Value, part.To!.Value, cancellationToken).ConfigureAwait(false);
                windows++;
            }
        }
        else
        {
            await db.Audit.Where(a => a.Target == $"pilot:{pilot.Id}").ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "(anonymised)"), cancellationToken).ConfigureAwait(false);
            foreach (var rig in pilot.Rigs) await AnonymiseRecordsAsync(db, rig.SiteId, rig.RigId, pilot.Start, end, cancellationToken).ConfigureAwait(false);
            db.Erasures.Add(new ErasureRecord { Time = now, Kind = "pilot-anonymised", Requester = requester,
                Detail = $"pilot {pilot.Id} anonymised: its window on {string.Join(", ", pilot.Rigs.Select(r => $"{r.SiteId}/{r.RigId}"))} is teaching data now" });
            windows = pilot.Rigs.Count;
        }
        db.Pilots.Remove(pilot);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return windows;
    }

    /// <summary>Applies every recorded deletion of pilot data again (after a backup from before them was restored).</summary>
    public static async Task<int> ReapplyAsync(MetadataDb db, InfluxClient influx, CancellationToken cancellationToken)
    {
        var records = await db.Erasures.AsNoTracking().Where(e => e.Kind == "pilot-data").OrderBy(e => e.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in records)
        {
            await DeletePointsAsync(influx, r.SiteId!, r.RigId!, r.From!.Value, r.To!.Value, cancellationToken).ConfigureAwait(false);
            await DeleteRecordsAsync(db, r.SiteId!, r.RigId!, r.From!.Value, r.To!.Value, cancellationToken).ConfigureAwait(false);
        }
        return records.Count;
    }

    /// <summary>Deletes what the metadata store holds of a rig's [from, to): alert cases of alerts raised then (with their
    /// comments) and maintenance actions performed then.</summary>
    public static async Task DeleteRecordsAsync(MetadataDb db, string site, string rig, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        await db.AlertCases.Where(a => a.SiteId == site && a.RigId == rig && a.RaisedAt >= from && a.RaisedAt < to).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.MaintenanceActions.Where(m => m.SiteId == site && m.RigId == rig && m.PerformedAt >= from && m.PerformedAt < to).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    // The window becomes teaching data: what happened stays (status, times, what was done to which component), the
    // people and their free text go, since they may name the company.
    private static async Task AnonymiseRecordsAsync(MetadataDb db, string site, string rig, DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var cases = db.AlertCases.Where(a => a.SiteId == site && a.RigId == rig && a.RaisedAt >= from && a.RaisedAt < to);
        await db.AlertComments.Where(c => cases.Any(a => a.Id == c.CaseId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await cases.ExecuteUpdateAsync(s => s.SetProperty(a => a.AcknowledgedBy, a => a.AcknowledgedBy == null ? null : "(anonymised)")
            .SetProperty(a => a.ClosedBy, a => a.ClosedBy == null ? null : "(anonymised)")
            .SetProperty(a => a.Resolution, a => a.Resolution == null ? null : "(anonymised)")
            .SetProperty(a => a.AssigneeUserId, (string?)null), cancellationToken).ConfigureAwait(false);
        await db.MaintenanceActions.Where(m => m.SiteId == site && m.RigId == rig && m.PerformedAt >= from && m.PerformedAt < to)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.PerformedBy, "(anonymised)").SetProperty(m => m.Notes, (string?)null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every point of a rig in [from, to) from every measurement of the database, in all retention policies.</summary>
    public static Task DeletePointsAsync(InfluxClient influx, string site, string rig, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        influx.QueryAsync(new InfluxQuery("DELETE WHERE site = $site AND rig = $rig AND time >= $from AND time < $to")
            .Bind("site", site).Bind("rig", rig).Bind("from", new DateTimeOffset(from)).Bind("to", new DateTimeOffset(to)), cancellationToken);
}

/// <summary>What to do with a pilot's data.</summary>
public enum PilotDataDisposal
{
    /// <summary>Delete every point inside the pilot's window.</summary>
    Delete,

    /// <summary>Keep the data, remove the company from it (the window becomes teaching data).</summary>
    Anonymise,
}
