using System.Globalization;
using Fieldlab.PredictiveMaintenance.Evaluation;
using Fieldlab.PredictiveMaintenance.Prognostics;

namespace Fieldlab.Cli.Eval;

/// <summary><c>./fieldlab eval cmapss DIR [--subset FD001]</c>: remaining-useful-life models on NASA C-MAPSS, by the
/// literature's convention, with a table of every model and last <c>cmapss subset=FD00x rmse=R score=S</c> (the
/// gradient-boosted regressor, Fieldlab's primary RUL model).</summary>
/// <remarks>
/// Protocol: everything — regime statistics, selected sensors, health indicator, priors, trees — is fitted on the
/// training units only; test units are read only at prediction. Operating regimes are the operational settings rounded
/// (setting 1 to the unit, setting 2 to 0.01, setting 3 to the unit; FD002/FD004 have six), and each sensor is
/// standardised per regime with the training mean and spread; sensors with no spread in the training data are dropped.
/// The training target is the piecewise-linear RUL capped at 125 cycles; predictions are capped to 0 … 125 and scored
/// at each test unit's last cycle against RUL_FD00x (uncapped), RMSE over units and the PHM08 score.
/// </remarks>
internal static class CmapssEvaluation
{
    private const double Cap = 125;

    public static int Run(CmapssSettings settings, TextWriter output)
    {
        var dir = settings.Directory;
        var subset = settings.Subset;
        int trees = settings.Trees;
        if (!System.Text.RegularExpressions.Regex.IsMatch(subset, "^FD00[1-9]$")) throw new UsageException($"--subset: '{subset}' is not FD001 … FD009");
        var data = CmapssData.Read(dir, subset);
        var normaliser = RegimeNormaliser.Fit(data.Train);
        var train = data.Train.Select(normaliser.Apply).ToList();
        var test = data.Test.Select(normaliser.Apply).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cmapss {subset}: {data.Train.Count} training units ({data.Train.Sum(u => u.Cycles)} cycles), {data.Test.Count} test units; {normaliser.Regimes} operating regime(s); sensors kept: {string.Join(", ", normaliser.Kept.Select(k => $"s{k + 1}"))}"));

        var scores = new List<(string Model, RulScore Score)>();

        // 1. Gradient-boosted regression trees on trend features; depth and rounds chosen by cross-validation over
        //    training units (unless --trees fixes them).
        var boosting = trees > 0 ? new GradientBoostedTrees.Settings(Trees: trees) : Tune(train, output);
        var (x, y) = Examples(train);
        var gbrt = GradientBoostedTrees.Train(x, y, boosting);
        var boosted = new RulScore();
        for (int i = 0; i < test.Count; i++) boosted.Add(Math.Clamp(gbrt.Predict(TrendFeatures.At(test[i], test[i].Count - 1)), 0, Cap), data.Test[i].TrueRul!.Value);
        scores.Add(("gradient-boosted trees (trend features)", boosted));

        // 2. Health indicator + Bayesian degradation models.
        var indicator = HealthIndicator.Fit(train);
        var trainHi = train.Select(u => (IReadOnlyList<double>)Smooth(u.Select(r => indicator.Of(r)).ToList())).ToList();
        double threshold = trainHi.Average(h => h[^1]);
        foreach (bool exponential in new[] { true, false })
        {
            var model = DegradationModel.FitPrior(trainHi, exponential);
            var score = new RulScore();
            for (int i = 0; i < test.Count; i++)
            {
                var hi = Smooth(test[i].Select(r => indicator.Of(r)).ToList());
                score.Add(Math.Clamp(model.RemainingLife(hi, threshold).Median, 0, Cap), data.Test[i].TrueRul!.Value);
            }
            scores.Add(($"health indicator + Bayesian {model.Kind} degradation", score));
        }

        output.WriteLine();
        output.WriteLine("| model | RMSE | PHM08 score | mean error (+ late) |");
        output.WriteLine("| --- | --- | --- | --- |");
        foreach (var (name, s) in scores)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {s.Rmse:F2} | {s.Phm08:F1} | {s.Bias:F2} |"));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cmapss: health indicator from {indicator.Sensors.Count} trending sensors; failure threshold {threshold:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cmapss subset={subset} rmse={boosted.Rmse:F2} score={boosted.Phm08:F1}"));
        return 0;
    }

    private static (double[][] X, double[] Y) Examples(IEnumerable<List<double[]>> units)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var unit in units)
            for (int t = 0; t < unit.Count; t++) { x.Add(TrendFeatures.At(unit, t)); y.Add(Math.Min(Cap, unit.Count - 1 - t)); }
        return ([.. x], [.. y]);
    }

    // 4-fold cross-validation grouped by unit, on the training units only: each validation unit is cut at 5 random
    // points (as the test units are cut before failure) and scored by RMSE against the capped RUL the model learns
    // (uncapped, the early cuts' irreducible error would decide the choice).
    private static GradientBoostedTrees.Settings Tune(List<List<double[]>> train, TextWriter output)
    {
        (int Depth, int Trees)[] grid = [(4, 300), (4, 600), (6, 300), (6, 600)];
        var random = new Random(5);
        var fold = train.Select(_ => random.Next(4)).ToArray();
        var best = (Rmse: double.PositiveInfinity, Settings: new GradientBoostedTrees.Settings());
        foreach (var (depth, rounds) in grid)
        {
            var score = new RulScore();
            for (int k = 0; k < 4; k++)
            {
                var (x, y) = Examples(train.Where((_, i) => fold[i] != k));
                var model = GradientBoostedTrees.Train(x, y, new GradientBoostedTrees.Settings(Trees: rounds, MaxDepth: depth));
                var cuts = new Random(k);
                foreach (var unit in train.Where((_, i) => fold[i] == k))
                    for (int c = 0; c < 5; c++)
                    {
                        int now = cuts.Next(Math.Min(30, unit.Count - 1), unit.Count);
                        score.Add(Math.Clamp(model.Predict(TrendFeatures.At(unit, now)), 0, Cap), Math.Min(Cap, unit.Count - 1 - now));
                    }
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cmapss: cross-validation on training units, depth {depth}, {rounds} trees: RMSE {score.Rmse:F2}"));
            if (score.Rmse < best.Rmse) best = (score.Rmse, new GradientBoostedTrees.Settings(Trees: rounds, MaxDepth: depth));
        }
        output.WriteLine($"cmapss: chosen depth {best.Settings.MaxDepth}, {best.Settings.Trees} trees");
        return best.Settings;
    }

    // A centred moving average of 5 steps (shorter at the ends) takes the sensor noise out of the indicator.
    private static List<double> Smooth(List<double> values) =>
        [.. values.Select((_, i) => { int from = Math.Max(0, i - 2), to = Math.Min(values.Count - 1, i + 2); return values.Skip(from).Take(to - from + 1).Average(); })];

    /// <summary>Per-regime standardisation of the sensors, learnt from the training units.</summary>
    private sealed class RegimeNormaliser
    {
        private readonly Dictionary<string, (double[] Mean, double[] Sd)> _stats;
        private readonly (double[] Mean, double[] Sd) _global;

        private RegimeNormaliser(Dictionary<string, (double[], double[])> stats, (double[], double[]) global, int[] kept)
        {
            _stats = stats;
            _global = global;
            Kept = kept;
        }

        public int[] Kept { get; }

        public int Regimes => _stats.Count;

        public static RegimeNormaliser Fit(List<CmapssUnit> units)
        {
            var rows = units.SelectMany(u => u.SettingsByCycle.Zip(u.SensorsByCycle)).ToList();
            var stats = rows.GroupBy(r => Key(r.First)).ToDictionary(g => g.Key, g => Stats(g.Select(r => r.Second).ToList()));
            var global = Stats(rows.Select(r => r.Second).ToList());
            var kept = Enumerable.Range(0, CmapssData.Sensors).Where(j => stats.Values.Any(s => s.Sd[j] > 1e-6 * Math.Max(1, Math.Abs(s.Mean[j])))).ToArray();
            return new RegimeNormaliser(stats, global, kept);
        }

        public List<double[]> Apply(CmapssUnit unit) =>
            [.. unit.SettingsByCycle.Zip(unit.SensorsByCycle, (s, x) =>
            {
                var (mean, sd) = _stats.TryGetValue(Key(s), out var st) ? st : _global;
                return Kept.Select(j => sd[j] > 0 ? (x[j] - mean[j]) / sd[j] : 0).ToArray();
            })];

        // "+ 0.0" turns −0 into 0: a setting of −0.0007 and one of 0.0004 are the same regime.
    private static string Key(double[] s) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(s[0]) + 0.0}|{Math.Round(s[1], 2) + 0.0}|{Math.Round(s[2]) + 0.0}");

        private static (double[] Mean, double[] Sd) Stats(List<double[]> rows)
        {
            var mean = new double[CmapssData.Sensors];
            var sd = new double[CmapssData.Sensors];
            for (int j = 0; j < mean.Length; j++)
            {
                mean[j] = rows.Average(r => r[j]);
                sd[j] = rows.Count > 1 ? Math.Sqrt(rows.Sum(r => (r[j] - mean[j]) * (r[j] - mean[j])) / (rows.Count - 1)) : 0;
            }
            return (mean, sd);
        }
    }
}
