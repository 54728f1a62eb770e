namespace Fieldlab.PredictiveMaintenance.Evaluation;

/// <summary>Point-wise outlier-detection counts and the SKAB figures derived from them: F1, false-alarm rate
/// FAR = FP/(FP+TN)·100 and missed-alarm rate MAR = FN/(FN+TP)·100 (Katser &amp; Kozitsin, SKAB, 2020).</summary>
public sealed class OutlierScore
{
    /// <summary>Anomalous rows flagged.</summary>
    public long TruePositives { get; private set; }
    /// <summary>Normal rows flagged.</summary>
    public long FalsePositives { get; private set; }
    /// <summary>Normal rows not flagged.</summary>
    public long TrueNegatives { get; private set; }
    /// <summary>Anomalous rows missed.</summary>
    public long FalseNegatives { get; private set; }

    /// <summary>Counts one row.</summary>
    public void Add(bool actual, bool predicted)
    {
        if (actual && predicted) TruePositives++;
        else if (!actual && predicted) FalsePositives++;
        else if (!actual) TrueNegatives++;
        else FalseNegatives++;
    }

    /// <summary>F1 = TP / (TP + (FP + FN)/2).</summary>
    public double F1 => TruePositives + FalsePositives + FalseNegatives == 0 ? 0 : TruePositives / (TruePositives + (FalsePositives + FalseNegatives) / 2.0);

    /// <summary>False-alarm rate, %.</summary>
    public double FalseAlarmRate => FalsePositives + TrueNegatives == 0 ? 0 : 100.0 * FalsePositives / (FalsePositives + TrueNegatives);

    /// <summary>Missed-alarm rate, %.</summary>
    public double MissedAlarmRate => FalseNegatives + TruePositives == 0 ? 0 : 100.0 * FalseNegatives / (FalseNegatives + TruePositives);
}
