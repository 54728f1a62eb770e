namespace Fieldlab.Access.Store;

/// <summary>What people did about one occurrence of a rig's alert (an alert id and the time it was raised): acknowledged,
/// assigned, closed with what was done. The alert itself stays in the time-series database as ingest stored it; a case
/// exists only once somebody acted on it (no case: open).</summary>
public sealed class AlertCase
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>The rig's site.</summary>
    public required string SiteId { get; set; }

    /// <summary>The rig.</summary>
    public required string RigId { get; set; }

    /// <summary>The alert's id within the rig (<c>bearing</c>, <c>anomaly-process</c>, …).</summary>
    public required string AlertId { get; set; }

    /// <summary>When it was raised, in nanoseconds since the Unix epoch: exactly the stored alert's time, so that the
    /// occurrence key round-trips (a <see cref="DateTime"/> keeps only 100 ns).</summary>
    public long RaisedAtNs { get; set; }

    /// <summary>When it was raised (UTC), for range queries (erasure of a pilot's window).</summary>
    public DateTime RaisedAt { get; set; }

    /// <summary><c>open</c>, <c>acknowledged</c> or <c>closed</c>.</summary>
    public string Status { get; set; } = AlertStatus.Open;

    /// <summary>Who is to deal with it (an account that may see the alert), or null.</summary>
    public string? AssigneeUserId { get; set; }

    /// <summary>Who acknowledged it (account name; a pseudonym after an erasure).</summary>
    public string? AcknowledgedBy { get; set; }

    /// <summary>When it was acknowledged (UTC).</summary>
    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>Who closed it.</summary>
    public string? ClosedBy { get; set; }

    /// <summary>When it was closed (UTC).</summary>
    public DateTime? ClosedAt { get; set; }

    /// <summary>What was done, in a sentence (required to close).</summary>
    public string? Resolution { get; set; }

    /// <summary>The maintenance action that dealt with it, or null.</summary>
    public long? MaintenanceActionId { get; set; }

    /// <summary>When the case was opened (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Its comments.</summary>
    public List<AlertComment> Comments { get; set; } = [];
}

/// <summary>The states of an <see cref="AlertCase"/>.</summary>
public static class AlertStatus
{
    /// <summary>Nobody has acted on it yet (or only assigned or commented).</summary>
    public const string Open = "open";

    /// <summary>Somebody has seen it and said so.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Dealt with; carries a resolution.</summary>
    public const string Closed = "closed";
}

/// <summary>A comment on an alert occurrence.</summary>
public sealed class AlertComment
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>The case it belongs to.</summary>
    public long CaseId { get; set; }

    /// <summary>Who wrote it (account name; a pseudonym after an erasure).</summary>
    public string Author { get; set; } = "";

    /// <summary>The text.</summary>
    public string Text { get; set; } = "";

    /// <summary>When (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
