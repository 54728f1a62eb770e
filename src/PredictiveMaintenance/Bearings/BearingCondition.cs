namespace Fieldlab.PredictiveMaintenance.Bearings;

/// <summary>Where a rolling-element bearing is damaged, if anywhere.</summary>
public enum BearingCondition
{
    /// <summary>No defect.</summary>
    Normal,
    /// <summary>Defect on the inner race (shows at BPFI, modulated at shaft speed).</summary>
    InnerRace,
    /// <summary>Defect on the outer race (shows at BPFO).</summary>
    OuterRace,
    /// <summary>Defect on a rolling element (shows at BSF, modulated at FTF).</summary>
    Ball,
}

/// <summary>A diagnosis of one vibration window.</summary>
/// <param name="Condition">The most probable condition.</param>
/// <param name="Probabilities">Probability of each condition, indexed by <see cref="BearingCondition"/>.</param>
/// <param name="Severity">Estimated defect size (in the unit of the training labels, e.g. inches for CWRU), the
/// probability-weighted mean of the sizes seen in training; null when the window looks normal.</param>
public sealed record BearingDiagnosis(BearingCondition Condition, double[] Probabilities, double? Severity);
