using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>What "normal" looks like for a set of sensors: the rows of a baseline period and each sensor's mean and
/// spread, used to standardise new rows before any detector sees them.</summary>
public sealed class Baseline
{
    private Baseline(IReadOnlyList<string> sensors, Matrix<double> rows, double[] mean, double[] scale)
    {
        Sensors = sensors;
        Rows = rows;
        Mean = mean;
        Scale = scale;
    }

    /// <summary>Sensor names, in column order.</summary>
    public IReadOnlyList<string> Sensors { get; }

    /// <summary>The baseline rows, standardised (one row per sample).</summary>
    public Matrix<double> Rows { get; }

    /// <summary>Per-sensor mean of the baseline.</summary>
    public double[] Mean { get; }

    /// <summary>Per-sensor standard deviation of the baseline (floored so a constant sensor cannot divide by zero).</summary>
    public double[] Scale { get; }

    /// <summary>Learns a baseline from rows of finite values (at least 2 × sensors + 1 rows).</summary>
    public static Baseline Fit(IReadOnlyList<string> sensors, IReadOnlyList<double[]> rows)
    {
        int p = sensors.Count;
        if (p == 0) throw new ArgumentException("A baseline needs at least one sensor.");
        if (rows.Count < 2 * p + 1) throw new ArgumentException($"A baseline of {p} sensors needs at least {2 * p + 1} rows (got {rows.Count}).");
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != p) throw new ArgumentException($"Baseline row {r} has {rows[r].Length} values; expected {p}.");
            foreach (var v in rows[r]) if (!double.IsFinite(v)) throw new ArgumentException($"Baseline row {r} holds a value that is not finite.");
        }
        var mean = new double[p];
        var scale = new double[p];
        for (int j = 0; j < p; j++)
        {
            double m = 0;
            foreach (var row in rows) m += row[j];
            m /= rows.Count;
            double v = 0;
            foreach (var row in rows) v += (row[j] - m) * (row[j] - m);
            mean[j] = m;
            // A sensor that never moved in the baseline still gets a finite scale: 1e-6 of its level, or 1e-9.
            scale[j] = Math.Max(Math.Sqrt(v / (rows.Count - 1)), Math.Max(1e-9, Math.Abs(m) * 1e-6));
        }
        var matrix = Matrix<double>.Build.Dense(rows.Count, p, (r, j) => (rows[r][j] - mean[j]) / scale[j]);
        return new Baseline(sensors, matrix, mean, scale);
    }

    /// <summary>Standardises one row: (x − mean) / scale.</summary>
    public Vector<double> Standardise(ReadOnlySpan<double> row)
    {
        if (row.Length != Mean.Length) throw new ArgumentException($"Expected {Mean.Length} values, got {row.Length}.");
        var z = Vector<double>.Build.Dense(row.Length);
        for (int j = 0; j < row.Length; j++) z[j] = (row[j] - Mean[j]) / Scale[j];
        return z;
    }
}
