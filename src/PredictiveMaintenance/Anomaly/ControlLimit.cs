namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>Control limits learnt from baseline scores.</summary>
public static class ControlLimit
{
    /// <summary>The empirical <paramref name="quantile"/> of baseline scores (linear interpolation, Hyndman &amp; Fan type 7),
    /// times <paramref name="margin"/>. Real process data are autocorrelated and rarely Gaussian, so a limit read off the
    /// baseline's own scores holds its false-alarm rate where the textbook F and χ² limits do not.</summary>
    public static double Empirical(IEnumerable<double> baselineScores, double quantile, double margin)
    {
        var sorted = baselineScores.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No finite baseline scores to set a limit from.");
        if (quantile is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(quantile));
        double h = (sorted.Length - 1) * quantile;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return margin * (sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]));
    }
}
