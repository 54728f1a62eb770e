namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>A streaming detector per signal: each sensor's robust z-score (median and MAD of the baseline) smoothed by
/// an EWMA; a sensor alarms when its smoothed z leaves the band its baseline stayed in. Stateful: feed rows in order.</summary>
/// <remarks>Robust location/scale after Rousseeuw &amp; Croux, JASA 88 (1993) (MAD·1.4826 estimates σ for Gaussian data);
/// EWMA chart after Lucas &amp; Saccucci, Technometrics 32 (1990). The band is the baseline's own
/// <c>quantile</c> of |EWMA z| times a margin rather than L·√(λ/(2−λ)), because process signals are autocorrelated.
/// The score is the largest sensor's |EWMA z| / band, so the limit is 1 and the contributions name the sensor.</remarks>
public sealed class RobustEwmaDetector : IRowDetector
{
    private readonly double[] _median, _scale, _band, _ewma;
    private readonly double _lambda;
    private bool _started;

    /// <summary>Learns each sensor's median, MAD and band from the baseline rows (raw units).</summary>
    public RobustEwmaDetector(IReadOnlyList<double[]> baselineRows, double lambda = 0.1, double quantile = 0.995, double margin = 1.0)
    {
        if (baselineRows.Count < 10) throw new ArgumentException("The EWMA detector needs at least 10 baseline rows.");
        if (lambda is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(lambda), "λ must lie in (0, 1].");
        int p = baselineRows[0].Length;
        _lambda = lambda;
        _median = new double[p];
        _scale = new double[p];
        _band = new double[p];
        _ewma = new double[p];
        for (int j = 0; j < p; j++)
        {
            var column = baselineRows.Select(r => r[j]).Order().ToArray();
            _median[j] = Median(column);
            double mad = Median([.. column.Select(v => Math.Abs(v - _median[j])).Order()]);
            double sd = Math.Sqrt(column.Sum(v => (v - column.Average()) * (v - column.Average())) / (column.Length - 1));
            // A quantised or stuck sensor has MAD 0: fall back to its standard deviation, then to a tiny floor.
            _scale[j] = mad > 0 ? 1.4826 * mad : sd > 0 ? sd : Math.Max(1e-9, Math.Abs(_median[j]) * 1e-6);
        }
        var history = new List<double>[p];
        for (int j = 0; j < p; j++) history[j] = [];
        foreach (var row in baselineRows)
        {
            Update(row);
            for (int j = 0; j < p; j++) history[j].Add(Math.Abs(_ewma[j]));
        }
        for (int j = 0; j < p; j++) _band[j] = Math.Max(ControlLimit.Empirical(history[j], quantile, margin), 1e-9);
        Reset();
    }

    /// <inheritdoc />
    public string Name => "robust-ewma";

    /// <summary>Forgets the smoothed state (start of a new recording).</summary>
    public void Reset()
    {
        Array.Clear(_ewma);
        _started = false;
    }

    /// <inheritdoc />
    public AnomalyScore Score(ReadOnlySpan<double> row)
    {
        Update(row);
        var contributions = new double[_ewma.Length];
        double score = 0;
        for (int j = 0; j < _ewma.Length; j++)
        {
            contributions[j] = Math.Abs(_ewma[j]) / _band[j];
            score = Math.Max(score, contributions[j]);
        }
        return new AnomalyScore(score, 1.0, contributions);
    }

    private void Update(ReadOnlySpan<double> row)
    {
        for (int j = 0; j < _ewma.Length; j++)
        {
            double z = (row[j] - _median[j]) / _scale[j];
            _ewma[j] = _started ? _lambda * z + (1 - _lambda) * _ewma[j] : z;
        }
        _started = true;
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
