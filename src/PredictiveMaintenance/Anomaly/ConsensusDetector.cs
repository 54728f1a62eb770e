namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>Several detectors voting: a row is anomalous when a majority of them find it beyond their own limits. The
/// contributions are the members' normalised contributions, averaged, so the explanation survives the vote.</summary>
/// <remarks>Majority voting of base detectors (Aggarwal, "Outlier Analysis", 2nd ed., §6.4) trades a little
/// sensitivity for far fewer false alarms when the members err in different places — PCA on correlation structure,
/// MSET on similarity to remembered states, EWMA on each signal alone.</remarks>
public sealed class ConsensusDetector(IReadOnlyList<IRowDetector> members) : IRowDetector
{
    /// <inheritdoc />
    public string Name => "consensus";

    /// <inheritdoc />
    public AnomalyScore Score(ReadOnlySpan<double> row)
    {
        int votes = 0;
        double[]? contributions = null;
        foreach (var member in members)
        {
            var s = member.Score(row);
            if (s.IsAnomalous) votes++;
            double total = s.Contributions.Sum(Math.Abs);
            contributions ??= new double[s.Contributions.Length];
            for (int j = 0; j < contributions.Length; j++) contributions[j] += total > 0 ? Math.Abs(s.Contributions[j]) / total / members.Count : 0;
        }
        // Score = share of members voting anomalous; the limit is "more than half".
        return new AnomalyScore(votes / (double)members.Count, 0.5, contributions ?? []);
    }
}
