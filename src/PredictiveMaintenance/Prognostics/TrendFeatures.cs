namespace Fieldlab.PredictiveMaintenance.Prognostics;

/// <summary>Features of a multivariate history up to "now" that a RUL regressor reads: per signal the recent level
/// (means over the last 5 and 30 steps, an EWMA), the recent trend (least-squares slopes over the last 15 and 40
/// steps) and the recent spread, plus the age (steps so far). Short histories use what there is.</summary>
/// <remarks>The usual hand-made inputs of tree-based RUL models on C-MAPSS (e.g. the windowed statistics of Mathew et al.,
/// "Prediction of remaining useful lifetime of turbofan engine using machine learning", ICRAIE 2017).</remarks>
public static class TrendFeatures
{
    /// <summary>Features per signal.</summary>
    public const int PerSignal = 6;

    /// <summary>Feature count for <paramref name="signals"/> signals (the age is last).</summary>
    public static int Count(int signals) => signals * PerSignal + 1;

    /// <summary>Names, for reports.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> signals) =>
        [.. signals.SelectMany(s => new[] { $"{s}_mean5", $"{s}_mean30", $"{s}_ewma", $"{s}_slope15", $"{s}_slope40", $"{s}_std30" }), "age"];

    /// <summary>The features at step <paramref name="now"/> (inclusive) of a history whose rows are steps.</summary>
    public static double[] At(IReadOnlyList<double[]> history, int now)
    {
        if (now < 0 || now >= history.Count) throw new ArgumentOutOfRangeException(nameof(now));
        int p = history[0].Length;
        var f = new double[Count(p)];
        for (int j = 0; j < p; j++)
        {
            f[j * PerSignal + 0] = Mean(history, j, now, 5);
            f[j * PerSignal + 1] = Mean(history, j, now, 30);
            double ewma = history[0][j];
            for (int t = 1; t <= now; t++) ewma += 0.1 * (history[t][j] - ewma);
            f[j * PerSignal + 2] = ewma;
            f[j * PerSignal + 3] = Slope(history, j, now, 15);
            f[j * PerSignal + 4] = Slope(history, j, now, 40);
            double m = f[j * PerSignal + 1];
            int from = Math.Max(0, now - 29);
            double v = 0;
            for (int t = from; t <= now; t++) v += (history[t][j] - m) * (history[t][j] - m);
            f[j * PerSignal + 5] = Math.Sqrt(v / (now - from + 1));
        }
        f[^1] = now + 1;
        return f;
    }

    private static double Mean(IReadOnlyList<double[]> h, int j, int now, int window)
    {
        int from = Math.Max(0, now - window + 1);
        double s = 0;
        for (int t = from; t <= now; t++) s += h[t][j];
        return s / (now - from + 1);
    }

    // Least-squares slope per step over the last `window` steps (0 with fewer than 3).
    private static double Slope(IReadOnlyList<double[]> h, int j, int now, int window)
    {
        int from = Math.Max(0, now - window + 1), n = now - from + 1;
        if (n < 3) return 0;
        double tMean = (n - 1) / 2.0, yMean = 0;
        for (int t = from; t <= now; t++) yMean += h[t][j];
        yMean /= n;
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) { num += (i - tMean) * (h[from + i][j] - yMean); den += (i - tMean) * (i - tMean); }
        return num / den;
    }
}
