namespace Fieldlab.Datasets.Assignments;

/// <summary>The scores of one part (public or private) of a submission: the leaderboard's <paramref name="Metric"/>,
/// every figure by name, and for classification the confusion matrix (truth → answer → count).</summary>
public sealed record PartScore(double Metric, int Keys, IReadOnlyDictionary<string, double> Figures,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? Confusion = null);

/// <summary>A submission's scores on both parts.</summary>
public sealed record SubmissionScore(PartScore Public, PartScore Private);
