namespace Fieldlab.PredictiveMaintenance.Evaluation;

/// <summary>The NAB change-point score as SKAB computes it: a detection window to the right of each true change
/// point, the first detection in a window earning between A_tp (at once) and A_fp (at the window's end), a missed
/// window A_fn, every detection outside all windows A_fp; summed over files and normalised to 100 for the perfect
/// detector and 0 for the null detector.</summary>
/// <remarks>Lavin &amp; Ahmad, "Evaluating real-time anomaly detection algorithms — the Numenta Anomaly Benchmark",
/// IEEE ICMLA 2015; SKAB's variant (waico/SKAB, core/metrics.py, "improved" scale): score along the window
/// y(x) = (A_tp − A_fp)/2 · (−tanh x / tanh(π/2)) + (A_tp − A_fp)/2 + A_fp, x = −π/2 … π/2 over 1000 steps;
/// overlapping windows are cut by starting the later one where the earlier ends. Profiles (A_tp, A_fp, A_fn):
/// Standard (1, −0.11, −1), LowFP (1, −0.22, −1), LowFN (1, −0.11, −2).</remarks>
public sealed class NabScore
{
    private static readonly (string Name, double Tp, double Fp, double Fn)[] Profiles =
        [("standard", 1, -0.11, -1), ("low_fp", 1, -0.22, -1), ("low_fn", 1, -0.11, -2)];

    private readonly double[] _score = new double[3], _null = new double[3], _perfect = new double[3];

    /// <summary>Windows scored so far.</summary>
    public int Windows { get; private set; }

    /// <summary>Windows with no detection.</summary>
    public int Missed { get; private set; }

    /// <summary>Detections outside every window.</summary>
    public int FalsePositives { get; private set; }

    /// <summary>Scores one recording: true change-point times and detected change-point times (any unit, ascending).</summary>
    public void Add(IReadOnlyList<double> trueChangePoints, IReadOnlyList<double> detections, double window)
    {
        var windows = trueChangePoints.Select(t => (Start: t, End: t + window)).ToArray();
        for (int i = 0; i + 1 < windows.Length; i++)
            if (windows[i].End >= windows[i + 1].Start) windows[i + 1].Start = windows[i].End;

        int falsePositives = 0, missed = 0;
        var hits = new List<double>(); // relative position of the first detection in each hit window
        if (windows.Length == 0) falsePositives = detections.Count;
        else
        {
            foreach (var d in detections)
            {
                bool outside = d < windows[0].Start || d > windows[^1].End;
                for (int i = 0; !outside && i + 1 < windows.Length; i++)
                    if (d > windows[i].End && d < windows[i + 1].Start) outside = true;
                if (outside) falsePositives++;
            }
            foreach (var (start, end) in windows)
            {
                double? first = detections.Where(d => d >= start && d <= end).Select(d => (double?)d).FirstOrDefault();
                if (first is null) missed++;
                else hits.Add(end > start ? (first.Value - start) / (end - start) : 0);
            }
        }

        for (int p = 0; p < Profiles.Length; p++)
        {
            var (_, tp, fp, fn) = Profiles[p];
            _score[p] += fp * falsePositives + fn * missed + hits.Sum(h => Scale(h, tp, fp));
            _null[p] += windows.Length * fn;
            _perfect[p] += windows.Length * tp;
        }
        Windows += windows.Length;
        Missed += missed;
        FalsePositives += falsePositives;
    }

    /// <summary>Normalised score of the standard profile.</summary>
    public double Standard => Normalised(0);

    /// <summary>Normalised score of the profile that punishes false positives twice as hard.</summary>
    public double LowFalsePositives => Normalised(1);

    /// <summary>Normalised score of the profile that punishes misses twice as hard.</summary>
    public double LowFalseNegatives => Normalised(2);

    private double Normalised(int p) => _perfect[p] == _null[p] ? 0 : 100 * (_score[p] - _null[p]) / (_perfect[p] - _null[p]);

    private static double Scale(double position, double tp, double fp)
    {
        const int steps = 1000;
        int step = Math.Min((int)(position * steps), steps - 1);
        double x = -Math.PI / 2 + step * Math.PI / (steps - 1);
        return (tp - fp) / 2 * -1 * Math.Tanh(x) / Math.Tanh(Math.PI / 2) + (tp - fp) / 2 + fp;
    }
}
