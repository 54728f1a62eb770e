namespace Fieldlab.Access.Store;

/// <summary>One scored submission of predictions to an <see cref="Assignment"/>; its file lies under the datasets
/// directory, its scores here.</summary>
public sealed class Submission
{
    /// <summary>Submission id.</summary>
    public int Id { get; set; }

    /// <summary>The assignment.</summary>
    public int AssignmentId { get; set; }

    /// <summary>The student's user id.</summary>
    public required string UserId { get; set; }

    /// <summary>When it was received (UTC).</summary>
    public DateTime SubmittedAt { get; set; }

    /// <summary>Prediction rows.</summary>
    public int Rows { get; set; }

    /// <summary>SHA-256 (hex) of the uploaded file.</summary>
    public required string Sha256 { get; set; }

    /// <summary>The leaderboard metric on the public part, as computed: its orientation is the task's (F1 and macro F1
    /// higher, RMSE lower is better; <c>TaskKinds.Leaderboard</c>).</summary>
    public double PublicScore { get; set; }

    /// <summary>The score on the private part.</summary>
    public double PrivateScore { get; set; }

    /// <summary>Every metric of both parts, as JSON.</summary>
    public string Metrics { get; set; } = "{}";
}
