using Fieldlab.Access.Store;

namespace Fieldlab.Api.Maintenance;

/// <summary>A maintenance action as the API shows it.</summary>
/// <param name="Id">Its id (what <c>POST …/alerts/{occurrence}/close</c> links with <c>maintenance_id</c>).</param>
/// <param name="Site">The rig's site.</param>
/// <param name="Rig">The rig.</param>
/// <param name="What">What was done.</param>
/// <param name="Component">On which component.</param>
/// <param name="PerformedAt">When it was done (UTC).</param>
/// <param name="Notes">Free text, or null.</param>
/// <param name="PerformedBy">Who recorded it.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
/// <param name="Rebaseline">The re-baseline requested with it, or null.</param>
/// <param name="Alerts">Occurrence keys of the alerts closed with it (those the caller may see).</param>
public sealed record MaintenanceView(long Id, string Site, string Rig, string What, string Component, DateTime PerformedAt, string? Notes, string PerformedBy,
    DateTime RecordedAt, RebaselineView? Rebaseline, IReadOnlyList<string> Alerts)
{
    /// <summary>The view of a stored action.</summary>
    public static MaintenanceView Of(MaintenanceAction m, IReadOnlyList<string> alerts, RebaselineView? rebaseline = null) => new(
        m.Id, m.SiteId, m.RigId, m.What, m.Component, m.PerformedAt, m.Notes, m.PerformedBy, m.RecordedAt,
        rebaseline ?? (m.RebaselineRequested ? new RebaselineView(m.RebaselineOutcome ?? "failed", null, null) : null), alerts);
}

/// <summary>What came of a re-baseline requested with a maintenance action.</summary>
/// <param name="Outcome"><c>ok</c> (ingest accepted it) or <c>failed</c>.</param>
/// <param name="Status">Ingest's HTTP status (only in the answer to the request that asked for it).</param>
/// <param name="Detail">Ingest's answer (likewise).</param>
public sealed record RebaselineView(string Outcome, int? Status, string? Detail);
