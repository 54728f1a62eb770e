using Fieldlab.PredictiveMaintenance.Anomaly;

namespace Fieldlab.PredictiveMaintenance.Bearings;

/// <summary>Watches one bearing for the four defect signatures with a baseline of its own healthy state: each window's
/// envelope prominence at BPFO, BPFI, BSF and FTF (1× and 2×, from <see cref="BearingFeatureVector"/>) is compared with
/// the baseline's, and the defect whose prominence has grown most is named.</summary>
/// <remarks>
/// A baselined trend of envelope amplitudes at the defect frequencies is the standard practice of condition monitoring
/// (ISO 13373-3:2015 §5; Randall &amp; Antoni, MSSP 25 (2011), §3.4): absolute thresholds do not carry across machines,
/// a machine's own healthy state does. Indicator per defect = mean of the 1× and 2× log prominences; its z-score against
/// the baseline windows (spread floored at 0.05, i.e. 5 % amplitude change) is the defect's score. The limit is the
/// largest z any baseline window reached, times 1.5, and at least <c>minimumLimit</c>, so the baseline itself would
/// never alarm. Several axes of one bearing: feed each window; the monitor keeps the worst axis per update.
/// </remarks>
public sealed class BearingDefectMonitor
{
    /// <summary>Defect names, in score order: outer race, inner race, ball, cage.</summary>
    public static IReadOnlyList<string> Defects { get; } = ["outer_race", "inner_race", "ball", "cage"];

    private readonly int _baselineWindows;
    private readonly double _minimumLimit;
    private readonly List<double[]> _baseline = [];
    private double[] _mean = new double[4], _spread = new double[4];

    /// <summary>Creates a monitor that learns from its first <paramref name="baselineWindows"/> windows.</summary>
    public BearingDefectMonitor(int baselineWindows, double minimumLimit = 4)
    {
        if (baselineWindows < 3) throw new ArgumentOutOfRangeException(nameof(baselineWindows), "A bearing baseline needs at least 3 windows.");
        _baselineWindows = baselineWindows;
        _minimumLimit = minimumLimit;
    }

    /// <summary>Whether the baseline is complete (verdicts are given from then on).</summary>
    public bool IsBaselined => Limit > 0;

    /// <summary>Windows collected towards the baseline.</summary>
    public int BaselineProgress => _baseline.Count;

    /// <summary>Decision limit for the defect scores (0 until baselined).</summary>
    public double Limit { get; private set; }

    /// <summary>Forgets the baseline; the next windows form a new one.</summary>
    public void Rebaseline()
    {
        _baseline.Clear();
        Limit = 0;
    }

    /// <summary>Feeds one window's <see cref="BearingFeatureVector"/>; returns a verdict once baselined, else null.</summary>
    public AnomalyScore? Observe(ReadOnlySpan<double> vector)
    {
        if (vector.Length != BearingFeatureVector.Length) throw new ArgumentException($"Expected a {BearingFeatureVector.Length}-value bearing feature vector.");
        var indicators = new double[4];
        for (int d = 0; d < 4; d++) indicators[d] = (vector[16 + d] + vector[20 + d]) / 2;
        if (!IsBaselined)
        {
            _baseline.Add(indicators);
            if (_baseline.Count >= _baselineWindows) Learn();
            return null;
        }
        var z = Scores(indicators);
        return new AnomalyScore(z.Max(), Limit, z);
    }

    private void Learn()
    {
        for (int d = 0; d < 4; d++)
        {
            double m = _baseline.Average(b => b[d]);
            double sd = Math.Sqrt(_baseline.Sum(b => (b[d] - m) * (b[d] - m)) / (_baseline.Count - 1));
            _mean[d] = m;
            _spread[d] = Math.Max(sd, 0.05);
        }
        double worst = _baseline.Max(b => Scores(b).Max());
        Limit = Math.Max(_minimumLimit, 1.5 * worst);
    }

    private double[] Scores(double[] indicators)
    {
        var z = new double[4];
        for (int d = 0; d < 4; d++) z[d] = (indicators[d] - _mean[d]) / _spread[d];
        return z;
    }
}
