using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Energy;

/// <summary>An energy baseline in the manner of ISO 50006: energy use regressed on its relevant variables over a baseline
/// period; afterwards the expected use of each period, the energy performance indicator (actual / expected) and the
/// CUSUM of actual − expected, which shows when and by how much performance changed.</summary>
/// <remarks>ISO 50006:2014 §6 and Annex C (regression baselines, EnPI as a ratio to the baseline model); CUSUM of the
/// differences as in ISO 50015 / IPMVP. A change is flagged with a tabular CUSUM on the standardised residuals
/// (Montgomery, §9.1; k = 0.5σ, h = 5σ): <see cref="ChangeDetected"/>, and <see cref="Cusum"/> keeps the plain sum in
/// energy units for the chart.</remarks>
public sealed class EnergyBaseline
{
    private readonly double[] _coefficients; // intercept first
    private readonly double _sigma;
    private double _upper, _lower;

    private EnergyBaseline(double[] coefficients, double sigma, double r2, IReadOnlyList<string> drivers)
    {
        _coefficients = coefficients;
        _sigma = sigma;
        RSquared = r2;
        Drivers = drivers;
    }

    /// <summary>Names of the relevant variables.</summary>
    public IReadOnlyList<string> Drivers { get; }

    /// <summary>Coefficient of determination of the baseline model.</summary>
    public double RSquared { get; }

    /// <summary>Σ (actual − expected) since the baseline, in energy units.</summary>
    public double Cusum { get; private set; }

    /// <summary>Periods observed since the baseline.</summary>
    public int Periods { get; private set; }

    /// <summary>Period index at which the tabular CUSUM first signalled a change, or null.</summary>
    public int? ChangeDetected { get; private set; }

    /// <summary>Fits the baseline: each row = drivers, with the energy used in that period.</summary>
    public static EnergyBaseline Fit(IReadOnlyList<string> drivers, IReadOnlyList<double[]> driverRows, IReadOnlyList<double> energy)
    {
        int n = driverRows.Count, p = drivers.Count;
        if (n != energy.Count) throw new ArgumentException("Need one energy value per row of drivers.");
        if (n < p + 3) throw new ArgumentException($"A baseline with {p} drivers needs at least {p + 3} periods (got {n}).");
        var x = Matrix<double>.Build.Dense(n, p + 1, (i, j) => j == 0 ? 1 : driverRows[i][j - 1]);
        var y = Vector<double>.Build.DenseOfEnumerable(energy);
        var beta = x.QR().Solve(y);
        var e = y - x * beta;
        double sse = e.DotProduct(e), mean = y.Average(), sst = y.Sum(v => (v - mean) * (v - mean));
        return new EnergyBaseline(beta.ToArray(), Math.Sqrt(sse / Math.Max(1, n - p - 1)), sst > 0 ? 1 - sse / sst : 1, drivers);
    }

    /// <summary>Expected energy for a period's drivers.</summary>
    public double Expected(ReadOnlySpan<double> drivers)
    {
        double v = _coefficients[0];
        for (int j = 0; j < drivers.Length; j++) v += _coefficients[j + 1] * drivers[j];
        return v;
    }

    /// <summary>Adds a period after the baseline; returns its EnPI (actual / expected).</summary>
    public double Observe(ReadOnlySpan<double> drivers, double actual)
    {
        double expected = Expected(drivers);
        Cusum += actual - expected;
        double z = (actual - expected) / Math.Max(_sigma, 1e-12);
        _upper = Math.Max(0, _upper + z - 0.5);
        _lower = Math.Max(0, _lower - z - 0.5);
        if (ChangeDetected is null && (_upper > 5 || _lower > 5)) ChangeDetected = Periods;
        Periods++;
        return expected != 0 ? actual / expected : double.NaN;
    }
}
