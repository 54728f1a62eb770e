namespace Fieldlab.Access.Store;

/// <summary>Something done to a rig (<c>bearing replaced</c> on <c>motor bearing, drive end</c>), when and by whom: shown
/// on the rig's charts, a label for datasets made later, and possibly the reason its models learnt a new baseline.</summary>
public sealed class MaintenanceAction
{
    /// <summary>Sequence number (the id in the API).</summary>
    public long Id { get; set; }

    /// <summary>The rig's site.</summary>
    public required string SiteId { get; set; }

    /// <summary>The rig.</summary>
    public required string RigId { get; set; }

    /// <summary>What was done, for people and as a label.</summary>
    public required string What { get; set; }

    /// <summary>On which component.</summary>
    public required string Component { get; set; }

    /// <summary>When it was done (UTC); its data windows decide who sees the record.</summary>
    public DateTime PerformedAt { get; set; }

    /// <summary>Free text, or null.</summary>
    public string? Notes { get; set; }

    /// <summary>Who recorded it: the caller (account name; a pseudonym after an erasure).</summary>
    public string PerformedBy { get; set; } = "";

    /// <summary>When it was recorded (UTC).</summary>
    public DateTime RecordedAt { get; set; }

    /// <summary>Whether the rig's models were asked to learn a new baseline with it.</summary>
    public bool RebaselineRequested { get; set; }

    /// <summary><c>ok</c> or <c>failed</c> when a re-baseline was requested, else null.</summary>
    public string? RebaselineOutcome { get; set; }
}
