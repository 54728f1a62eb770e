namespace Fieldlab.PredictiveMaintenance.Evaluation;

/// <summary>Scores of remaining-useful-life predictions, one per unit: RMSE and the PHM08 challenge score, which
/// penalises late predictions (d = predicted − true &gt; 0) more than early ones.</summary>
/// <remarks>Saxena, Goebel, Simon &amp; Eklund, "Damage propagation modeling for aircraft engine run-to-failure
/// simulation", PHM08: s = Σ (e^(−d/13) − 1) for d &lt; 0 and Σ (e^(d/10) − 1) for d ≥ 0. RMSE = √(Σd²/n), over units,
/// not over cycles (the mistake ../shared/data/cmapss/SOURCE.md warns about is averaging before the square root or
/// mixing in training cycles).</remarks>
public sealed class RulScore
{
    private readonly List<double> _errors = [];

    /// <summary>Units scored.</summary>
    public int Count => _errors.Count;

    /// <summary>Adds one unit's prediction.</summary>
    public void Add(double predicted, double actual)
    {
        if (!double.IsFinite(predicted) || !double.IsFinite(actual)) throw new ArgumentException("RUL values must be finite.");
        _errors.Add(predicted - actual);
    }

    /// <summary>Root mean squared error.</summary>
    public double Rmse => _errors.Count == 0 ? double.NaN : Math.Sqrt(_errors.Sum(d => d * d) / _errors.Count);

    /// <summary>Mean error (positive = late on average).</summary>
    public double Bias => _errors.Count == 0 ? double.NaN : _errors.Average();

    /// <summary>PHM08 score (lower is better, 0 is perfect).</summary>
    public double Phm08 => _errors.Sum(d => d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1);
}
