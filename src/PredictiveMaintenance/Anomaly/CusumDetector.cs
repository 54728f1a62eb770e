namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>Change-point detection by the two-sided tabular CUSUM per sensor, re-anchored after every detection: it
/// accumulates standardised deviations from the current level beyond an allowance, reports a change when a sum crosses
/// its decision interval, and then takes the recent level as the new reference. So it reports where the process
/// starts to move, where it keeps moving, and where it moves back, not every row of a new steady state. Stateful: feed
/// rows in order.</summary>
/// <remarks>Page, "Continuous inspection schemes", Biometrika 41 (1954); tabular form per Montgomery, "Introduction to
/// Statistical Quality Control", 7th ed., §9.1: C⁺ = max(0, z − k + C⁺), C⁻ = max(0, −z − k + C⁻), z in baseline
/// standard deviations. Re-estimating the level after a signal follows Hinkley, Biometrika 58 (1971). The decision
/// interval h per sensor is the largest sum the baseline reached (run through this same procedure), times a margin,
/// and at least <c>minimumInterval</c>; the new level is the mean of the last <c>levelRows</c> rows.</remarks>
public sealed class CusumDetector
{
    private readonly Baseline _baseline;
    private readonly double _allowance;
    private readonly int _levelRows;
    private readonly double[] _high, _low, _interval, _reference;
    private readonly Queue<double[]> _recent = new();

    /// <summary>Learns the decision interval per sensor from the baseline.</summary>
    public CusumDetector(Baseline baseline, double allowance = 1.0, double margin = 1.5, double minimumInterval = 5, int levelRows = 10)
    {
        _baseline = baseline;
        _allowance = allowance;
        _levelRows = levelRows;
        int p = baseline.Sensors.Count;
        _high = new double[p];
        _low = new double[p];
        _reference = new double[p];
        _interval = new double[p];
        Array.Fill(_interval, double.PositiveInfinity);
        var peak = new double[p];
        for (int r = 0; r < baseline.Rows.RowCount; r++)
        {
            Step([.. baseline.Rows.Row(r)]);
            for (int j = 0; j < p; j++) peak[j] = Math.Max(peak[j], Math.Max(_high[j], _low[j]));
        }
        for (int j = 0; j < p; j++) _interval[j] = Math.Max(minimumInterval, margin * peak[j]);
        Reset();
    }

    /// <summary>Detector name for reports.</summary>
    public string Name => "cusum";

    /// <summary>Restarts every sum and the reference level (start of a new recording).</summary>
    public void Reset()
    {
        Array.Clear(_high);
        Array.Clear(_low);
        Array.Clear(_reference);
        _recent.Clear();
    }

    /// <summary>Feeds one row (raw units); returns the sensors whose sum crossed its interval here (empty when none).</summary>
    public IReadOnlyList<string> Update(ReadOnlySpan<double> row) => Step([.. _baseline.Standardise(row)]);

    private IReadOnlyList<string> Step(double[] z)
    {
        _recent.Enqueue(z);
        if (_recent.Count > _levelRows) _recent.Dequeue();
        List<string>? changed = null;
        for (int j = 0; j < z.Length; j++)
        {
            double d = z[j] - _reference[j];
            _high[j] = Math.Max(0, d - _allowance + _high[j]);
            _low[j] = Math.Max(0, -d - _allowance + _low[j]);
            if (_high[j] > _interval[j] || _low[j] > _interval[j]) (changed ??= []).Add(_baseline.Sensors[j]);
        }
        if (changed is null) return [];
        // The process has moved: measure from where it is now, on every sensor (they move together).
        for (int j = 0; j < z.Length; j++)
        {
            _reference[j] = _recent.Average(r => r[j]);
            _high[j] = 0;
            _low[j] = 0;
        }
        return changed;
    }
}
