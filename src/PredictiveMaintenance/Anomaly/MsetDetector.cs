using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>A similarity-based (MSET-style) model of normal behaviour: a memory of representative baseline states, and
/// for each new row an estimate built from the remembered states it resembles; the residual between row and estimate
/// is the anomaly score, and each sensor's squared residual its contribution.</summary>
/// <remarks>
/// Singer, Gross et al., "Model-based nuclear power plant monitoring and fault detection", ANL (1996), and Wegerich,
/// "Similarity-based modeling of vibration features for fault detection", IEEE Aerospace (2004): estimate
/// x̂ = Dᵀ·w, w = (G + λI)⁻¹·k(x) normalised to sum 1, with G_ij = K(d_i, d_j), k_i = K(d_i, x) and a Gaussian
/// similarity K(a, b) = exp(−‖a − b‖² / (2h²)), h the median distance between memory states. The memory holds each
/// sensor's extreme rows plus evenly spaced rows of the even-numbered baseline samples; the limit is read from the
/// odd-numbered samples, which the memory never saw (a limit from remembered rows would be near zero).
/// </remarks>
public sealed class MsetDetector : IRowDetector
{
    private readonly Baseline _baseline;
    private readonly Matrix<double> _memory;     // m × p
    private readonly Matrix<double> _inverse;    // (G + λI)⁻¹
    private readonly double _twoHSquared;
    private readonly double _limit;

    /// <summary>Builds the memory (up to <paramref name="states"/> rows) and the limit.</summary>
    public MsetDetector(Baseline baseline, int states = 120, double quantile = 0.99, double margin = 1.0, double ridge = 1e-6)
    {
        _baseline = baseline;
        var rows = baseline.Rows;
        int n = rows.RowCount, p = rows.ColumnCount;
        var even = Enumerable.Range(0, n).Where(r => r % 2 == 0).ToList();
        var chosen = new SortedSet<int>();
        for (int j = 0; j < p; j++)
        {
            chosen.Add(even.MinBy(r => rows[r, j]));
            chosen.Add(even.MaxBy(r => rows[r, j]));
        }
        int room = Math.Max(0, states - chosen.Count);
        for (int i = 0; i < room && i < even.Count; i++) chosen.Add(even[(int)((long)i * even.Count / Math.Min(room, even.Count))]);
        _memory = Matrix<double>.Build.DenseOfRows(chosen.Select(r => rows.Row(r)));
        int m = _memory.RowCount;

        var distances = new List<double>();
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++) distances.Add((_memory.Row(a) - _memory.Row(b)).L2Norm());
        double h = distances.Count > 0 ? Math.Max(distances.Order().ElementAt(distances.Count / 2), 1e-6) : 1;
        _twoHSquared = 2 * h * h;
        var g = Matrix<double>.Build.Dense(m, m, (a, b) => Similarity(_memory.Row(a), _memory.Row(b)));
        _inverse = (g + ridge * Matrix<double>.Build.DenseIdentity(m)).Inverse();

        var held = Enumerable.Range(0, n).Where(r => r % 2 == 1).Select(r => Residual(rows.Row(r)).Score);
        _limit = ControlLimit.Empirical(held, quantile, margin);
    }

    /// <inheritdoc />
    public string Name => "mset";

    /// <summary>Remembered states.</summary>
    public int States => _memory.RowCount;

    /// <inheritdoc />
    public AnomalyScore Score(ReadOnlySpan<double> row)
    {
        var (score, contributions) = Residual(_baseline.Standardise(row));
        return new AnomalyScore(score, _limit, contributions);
    }

    private (double Score, double[] Contributions) Residual(Vector<double> z)
    {
        int m = _memory.RowCount;
        var k = Vector<double>.Build.Dense(m, i => Similarity(_memory.Row(i), z));
        var w = _inverse * k;
        double sum = w.Sum();
        // Far from every remembered state all similarities vanish; the estimate falls back to the memory's mean.
        if (Math.Abs(sum) < 1e-12) w = Vector<double>.Build.Dense(m, 1.0 / m);
        else w /= sum;
        var estimate = _memory.TransposeThisAndMultiply(w);
        var contributions = new double[z.Count];
        double score = 0;
        for (int j = 0; j < z.Count; j++)
        {
            double e = z[j] - estimate[j];
            contributions[j] = e * e;
            score += e * e;
        }
        return (score, contributions);
    }

    private double Similarity(Vector<double> a, Vector<double> b)
    {
        double d2 = 0;
        for (int j = 0; j < a.Count; j++) d2 += (a[j] - b[j]) * (a[j] - b[j]);
        return Math.Exp(-d2 / _twoHSquared);
    }
}
