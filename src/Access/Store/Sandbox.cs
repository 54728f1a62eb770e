namespace Fieldlab.Access.Store;

/// <summary>A sandbox: a site of its own (<c>lab-…</c>) into which a dataset is replayed as live rigs, visible to the
/// instructors of its host site and the students of one class, deleted when it expires (docs/datasets.md).</summary>
public sealed class Sandbox
{
    /// <summary>The sandbox's site id (<c>lab-…</c>); its <see cref="Site"/> row exists while the sandbox does.</summary>
    public required string SiteId { get; set; }

    /// <summary>The site whose instructors run it and whose students may join through <see cref="ClassId"/>.</summary>
    public required string HostSiteId { get; set; }

    /// <summary>The class whose students see it, or null (instructors only).</summary>
    public int? ClassId { get; set; }

    /// <summary>The dataset replayed.</summary>
    public required string DatasetId { get; set; }

    /// <summary>Its version.</summary>
    public int DatasetVersion { get; set; }

    /// <summary>Replay speed (1 … 100).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>Who started it (account name; a pseudonym after an erasure).</summary>
    public required string CreatedBy { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it is deleted at the latest (UTC).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>When the replay finished publishing (UTC), or null while it runs.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Rows published by the replay so far, as the replayer reported them.</summary>
    public long Rows { get; set; }
}
