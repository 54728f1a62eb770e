using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Prognostics;

/// <summary>Fuses several sensors into one health indicator that falls from about 1 (new) to about 0 (failed): sensors
/// that trend with age in the run-to-failure histories are selected and a linear regression maps them onto the
/// normalised remaining life.</summary>
/// <remarks>The data-driven health indicator of Wang, Yu, Siegel &amp; Lee, "A similarity-based prognostics approach for
/// remaining useful life estimation of engineered systems", PHM 2008 (the PHM08 challenge winner): trending sensors
/// chosen by the strength of their monotone relation with age (|Spearman ρ| ≥ <c>minimumTrend</c> on the pooled
/// histories), HI = a + Σ bⱼ·xⱼ fitted by least squares to 1 − t/T.</remarks>
public sealed class HealthIndicator
{
    private readonly int[] _selected;
    private readonly double[] _coefficients; // intercept first

    private HealthIndicator(int[] selected, double[] coefficients)
    {
        _selected = selected;
        _coefficients = coefficients;
    }

    /// <summary>Indices of the sensors the indicator uses.</summary>
    public IReadOnlyList<int> Sensors => _selected;

    /// <summary>Learns the indicator from run-to-failure histories (rows = steps, columns = sensors, last row = failure).</summary>
    public static HealthIndicator Fit(IReadOnlyList<IReadOnlyList<double[]>> histories, double minimumTrend = 0.5)
    {
        if (histories.Count == 0) throw new ArgumentException("Need at least one run-to-failure history.");
        int p = histories[0][0].Length;
        var ages = new List<double>();
        var columns = Enumerable.Range(0, p).Select(_ => new List<double>()).ToArray();
        var targets = new List<double>();
        foreach (var h in histories)
        {
            for (int t = 0; t < h.Count; t++)
            {
                ages.Add(t / (double)Math.Max(1, h.Count - 1));
                targets.Add(1 - t / (double)Math.Max(1, h.Count - 1));
                for (int j = 0; j < p; j++) columns[j].Add(h[t][j]);
            }
        }
        var selected = Enumerable.Range(0, p).Where(j => Math.Abs(MathNet.Numerics.Statistics.Correlation.Spearman(ages, columns[j])) >= minimumTrend).ToArray();
        if (selected.Length == 0) throw new ArgumentException($"No sensor trends with age (|Spearman ρ| ≥ {minimumTrend}).");
        var x = Matrix<double>.Build.Dense(targets.Count, selected.Length + 1, (r, c) => c == 0 ? 1 : columns[selected[c - 1]][r]);
        var y = Vector<double>.Build.DenseOfEnumerable(targets);
        var coefficients = x.QR().Solve(y).ToArray();
        return new HealthIndicator(selected, coefficients);
    }

    /// <summary>The indicator of one step.</summary>
    public double Of(ReadOnlySpan<double> row)
    {
        double hi = _coefficients[0];
        for (int i = 0; i < _selected.Length; i++) hi += _coefficients[i + 1] * row[_selected[i]];
        return hi;
    }
}
