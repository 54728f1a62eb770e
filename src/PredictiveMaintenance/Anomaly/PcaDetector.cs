using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>Principal component model of normal behaviour with Hotelling's T² (variation inside the model) and Q, the
/// squared prediction error (variation the model cannot explain), each with a control limit and per-sensor
/// contributions.</summary>
/// <remarks>
/// MacGregor &amp; Kourti, "Statistical process control of multivariate processes", Control Eng. Practice 3 (1995);
/// T² limit from the F distribution, T²_α = k(n²−1)/(n(n−k))·F_α(k, n−k) (Tracy, Young &amp; Mason 1992, phase II);
/// Q limit after Jackson &amp; Mudholkar, Technometrics 21 (1979). Contributions after Westerhuis, Gurden &amp; Smilde,
/// Chemom. Intell. Lab. Syst. 51 (2000): T² splits as Σ_j z_j·Σ_a p_ja·t_a/λ_a, Q as Σ_j e_j². The score is
/// T²/T²_limit + Q/Q_limit, so one number says "beyond normal" when it passes 2 … and the decision limit itself
/// is read from the baseline (see <see cref="ControlLimit"/>).
/// </remarks>
public sealed class PcaDetector : IRowDetector
{
    private readonly Baseline _baseline;
    private readonly Matrix<double> _loadings;   // p × k
    private readonly double[] _eigenvalues;      // k
    private readonly double _limit;
    private readonly bool _residualOnly;

    /// <summary>Fits the model: components explaining <paramref name="explainedVariance"/> of the baseline's variance.</summary>
    /// <param name="baseline">The normal rows.</param>
    /// <param name="explainedVariance">Share of the baseline variance the kept components explain.</param>
    /// <param name="quantile">Quantile of the baseline scores the limit is read at.</param>
    /// <param name="margin">Factor on that quantile.</param>
    /// <param name="residualOnly">Score with Q alone: a move along the baseline's own correlations (a new operating
    /// point of the same machine: more speed, more flow, more power together) then does not alarm; a broken relation
    /// does. The right choice live, where a baseline rarely spans every operating point.</param>
    public PcaDetector(Baseline baseline, double explainedVariance = 0.9, double quantile = 0.99, double margin = 1.0, bool residualOnly = false)
    {
        _residualOnly = residualOnly;
        _baseline = baseline;
        var x = baseline.Rows;
        int n = x.RowCount, p = x.ColumnCount;
        var covariance = x.TransposeThisAndMultiply(x) / (n - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, p).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var values = order.Select(i => Math.Max(evd.EigenValues[i].Real, 0)).ToArray();
        double total = values.Sum();
        int k = 1;
        for (double explained = values[0]; k < p && explained < explainedVariance * total; k++) explained += values[k];
        Components = k;
        _eigenvalues = [.. values.Take(k).Select(v => Math.Max(v, 1e-12))];
        _loadings = Matrix<double>.Build.Dense(p, k, (j, a) => evd.EigenVectors[j, order[a]]);

        T2Limit = k * (n * (double)n - 1) / (n * (double)(n - k)) * FisherSnedecor.InvCDF(k, n - k, 0.99);
        QLimit = JacksonMudholkar(values.Skip(k).ToArray(), 0.99);
        var scores = Enumerable.Range(0, n).Select(r => Raw(x.Row(r)).Score);
        _limit = ControlLimit.Empirical(scores, quantile, margin);
    }

    /// <inheritdoc />
    public string Name => _residualOnly ? "pca-q" : "pca-t2q";

    /// <summary>Number of principal components kept.</summary>
    public int Components { get; }

    /// <summary>The theoretical 99 % T² limit.</summary>
    public double T2Limit { get; }

    /// <summary>The theoretical 99 % Q limit.</summary>
    public double QLimit { get; }

    /// <inheritdoc />
    public AnomalyScore Score(ReadOnlySpan<double> row)
    {
        var (score, contributions) = Raw(_baseline.Standardise(row));
        return new AnomalyScore(score, _limit, contributions);
    }

    private (double Score, double[] Contributions) Raw(Vector<double> z)
    {
        var t = _loadings.TransposeThisAndMultiply(z);           // scores t_a
        var reconstruction = _loadings * t;
        int p = z.Count;
        var contributions = new double[p];
        double t2 = 0, q = 0;
        for (int a = 0; a < t.Count; a++) t2 += t[a] * t[a] / _eigenvalues[a];
        for (int j = 0; j < p; j++)
        {
            double e = z[j] - reconstruction[j];
            q += e * e;
            double c = 0;
            for (int a = 0; a < t.Count; a++) c += _loadings[j, a] * t[a] / _eigenvalues[a];
            contributions[j] = (_residualOnly ? 0 : z[j] * c / T2Limit) + e * e / QLimit;
        }
        return ((_residualOnly ? 0 : t2 / T2Limit) + q / QLimit, contributions);
    }

    private static double JacksonMudholkar(double[] residualEigenvalues, double confidence)
    {
        double t1 = residualEigenvalues.Sum(), t2 = residualEigenvalues.Sum(l => l * l), t3 = residualEigenvalues.Sum(l => l * l * l);
        if (t1 <= 1e-12) return 1e-12;
        double h0 = 1 - 2 * t1 * t3 / (3 * t2 * t2);
        double c = Normal.InvCDF(0, 1, confidence);
        return t1 * Math.Pow(c * Math.Sqrt(2 * t2 * h0 * h0) / t1 + 1 + t2 * h0 * (h0 - 1) / (t1 * t1), 1 / h0);
    }
}
