namespace Fieldlab.Access.Store;

/// <summary>A carried-out erasure, kept so that it can be applied again after a backup from before it is restored.</summary>
public sealed class ErasureRecord
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>When it was carried out (UTC).</summary>
    public DateTime Time { get; set; }

    /// <summary><c>pilot-data</c> (points of a rig in a window) or <c>user</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Rig's site (pilot data).</summary>
    public string? SiteId { get; set; }

    /// <summary>Rig (pilot data).</summary>
    public string? RigId { get; set; }

    /// <summary>Start of the erased window (UTC).</summary>
    public DateTime? From { get; set; }

    /// <summary>End of the erased window (UTC).</summary>
    public DateTime? To { get; set; }

    /// <summary>Who asked (and on whose behalf).</summary>
    public string Requester { get; set; } = "";

    /// <summary>What was erased, for people.</summary>
    public string Detail { get; set; } = "";
}
