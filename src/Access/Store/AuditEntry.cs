namespace Fieldlab.Access.Store;

/// <summary>One line of the audit log: who did what, when, to what, and what came of it.</summary>
public sealed class AuditEntry
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime Time { get; set; }

    /// <summary>User name or service name of who acted (<c>erased:…</c> after a right-to-erasure request).</summary>
    public string Actor { get; set; } = "";

    /// <summary>The actor's role at the time.</summary>
    public string ActorRole { get; set; } = "";

    /// <summary>What was done (<c>fault.command</c>, <c>models.rebaseline</c>, <c>signin.failed</c>, …).</summary>
    public string Action { get; set; } = "";

    /// <summary>Site it concerned, if any.</summary>
    public string? SiteId { get; set; }

    /// <summary>Rig it concerned, if any.</summary>
    public string? RigId { get; set; }

    /// <summary>Other object it concerned (a user, a pilot id, a token id).</summary>
    public string? Target { get; set; }

    /// <summary>The request and the reply, as JSON text.</summary>
    public string? Detail { get; set; }

    /// <summary><c>ok</c>, <c>refused</c>, <c>failed</c>, <c>timeout</c>.</summary>
    public string Outcome { get; set; } = "";
}
