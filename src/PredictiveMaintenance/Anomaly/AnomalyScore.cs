namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>One row's verdict from a detector: the score, the limit it was held against, and each sensor's share of
/// the score (so an alarm can say which sensors drove it).</summary>
/// <param name="Score">The detector's statistic for the row.</param>
/// <param name="Limit">The control limit learnt from the baseline; above it is anomalous.</param>
/// <param name="Contributions">Per-sensor contribution to the score, in the baseline's sensor order (they sum to the
/// score for T², Q and the residual detectors).</param>
public sealed record AnomalyScore(double Score, double Limit, double[] Contributions)
{
    /// <summary>Whether the row is beyond the limit.</summary>
    public bool IsAnomalous => Score > Limit;

    /// <summary>The sensors with the largest contributions, largest first.</summary>
    public IEnumerable<(string Sensor, double Share)> TopSensors(IReadOnlyList<string> sensors, int count)
    {
        double total = Contributions.Sum(Math.Abs);
        return Contributions
            .Select((c, i) => (Sensor: sensors[i], Share: total > 0 ? Math.Abs(c) / total : 0))
            .OrderByDescending(x => x.Share)
            .Take(count);
    }
}

/// <summary>A model of normal behaviour that scores rows of the same sensors as its baseline.</summary>
public interface IRowDetector
{
    /// <summary>Detector name for reports.</summary>
    string Name { get; }

    /// <summary>Scores one row (raw units; the detector standardises with its baseline).</summary>
    AnomalyScore Score(ReadOnlySpan<double> row);
}
