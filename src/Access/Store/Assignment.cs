namespace Fieldlab.Access.Store;

/// <summary>A lab assignment: a class analyses a dataset's public part and submits predictions, scored against the
/// dataset's hidden labels (docs/datasets.md, "Assignments").</summary>
public sealed class Assignment
{
    /// <summary>Assignment id.</summary>
    public int Id { get; set; }

    /// <summary>The class that works on it.</summary>
    public int ClassId { get; set; }

    /// <summary>Site of the class (the assignment's instructors are this site's).</summary>
    public required string SiteId { get; set; }

    /// <summary>Title students read.</summary>
    public required string Title { get; set; }

    /// <summary>The dataset.</summary>
    public required string DatasetId { get; set; }

    /// <summary>The dataset's version.</summary>
    public int DatasetVersion { get; set; }

    /// <summary>The task: <c>detection</c>, <c>classification</c> or <c>rul</c>.</summary>
    public required string Task { get; set; }

    /// <summary>Window length in seconds for classification and RUL keys (the key grid of the task).</summary>
    public double WindowSeconds { get; set; }

    /// <summary>The label class whose start ends a unit's life (RUL), or null.</summary>
    public string? FailureLabel { get; set; }

    /// <summary>Submissions after this are refused; the private leaderboard opens (UTC).</summary>
    public DateTime Deadline { get; set; }

    /// <summary>Submissions a student may make per UTC day.</summary>
    public int SubmissionsPerDay { get; set; } = 5;

    /// <summary>Share of the scored keys on the public leaderboard (the rest is private).</summary>
    public double PublicShare { get; set; } = 0.5;

    /// <summary>Seed of the public/private split (drawn at creation, never shown to students).</summary>
    public int SplitSeed { get; set; }

    /// <summary>Who made it (account name).</summary>
    public required string CreatedBy { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
