using System.Globalization;
using Fieldlab.PredictiveMaintenance.Anomaly;
using Fieldlab.PredictiveMaintenance.Evaluation;

namespace Fieldlab.Cli.Eval;

/// <summary><c>./fieldlab eval skab DIR</c>: every anomaly detector on every labelled SKAB-format file under DIR, by
/// SKAB's protocol, and a table of outlier (F1, FAR, MAR) and change-point (NAB) scores.</summary>
/// <remarks>
/// Protocol (SKAB, waico/SKAB README): per file, the first <c>--train-rows</c> rows (400) fit the detector — its
/// baseline, and every threshold, from those rows alone; the remaining rows are scored, never seen while fitting.
/// Labels are read only to score. Every setting is the same for every file. Outlier scores are point-wise over the
/// concatenated test parts; a row is flagged while the detector's alarm (with hysteresis) is raised. Change points
/// are scored by NAB with a 60 s window to the right of each true change point: an outlier detector's change points
/// are the rows where its alarm is raised or cleared; CUSUM reports its own. Last line:
/// <c>skab f1=F far=X mar=Y nab=N</c> (the outlier detector with the best F1; N the best NAB standard score).
/// </remarks>
internal static class SkabEvaluation
{
    private sealed record DetectorResult(string Name, OutlierScore? Outliers, NabScore Nab);

    public static int Run(SkabSettings settings, TextWriter output)
    {
        var dir = settings.Directory;
        int trainRows = settings.TrainRows;
        int raise = settings.Raise, clear = settings.Clear;
        double window = settings.NabWindowSeconds;
        double quantile = settings.Quantile, margin = settings.Margin;
        if (!Directory.Exists(dir)) throw new UsageException($"no such directory: {dir}");

        var recordings = new List<SkabRecording>();
        foreach (var path in Directory.EnumerateFiles(dir, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var recording = SkabRecording.Read(path, Path.GetRelativePath(dir, path));
            if (!recording.IsLabelled) { output.WriteLine($"skab: {recording.Name}: no anomaly/changepoint columns, not scored"); continue; }
            if (recording.Rows.Length <= trainRows + 1) { output.WriteLine($"skab: {recording.Name}: only {recording.Rows.Length} rows, not scored"); continue; }
            recordings.Add(recording);
        }
        if (recordings.Count == 0) throw new UsageException($"no labelled SKAB-format files under {dir}");
        if (recordings.Select(r => string.Join(';', r.Sensors)).Distinct().Count() > 1)
            output.WriteLine("skab: files have different sensor columns; each file is fitted on its own columns");

        var detectors = new (string Name, Func<IReadOnlyList<string>, double[][], IRowDetector> Fit)[]
        {
            ("pca-t2q", (s, rows) => new PcaDetector(Baseline.Fit(s, rows), quantile: quantile, margin: margin)),
            ("mset", (s, rows) => new MsetDetector(Baseline.Fit(s, rows), quantile: quantile, margin: margin)),
            ("robust-ewma", (s, rows) => new RobustEwmaDetector(rows, quantile: quantile, margin: margin)),
            ("consensus", (s, rows) => Consensus(s, rows, quantile, margin)),
        };
        var results = new List<DetectorResult>();
        foreach (var (name, fit) in detectors)
        {
            var outliers = new OutlierScore();
            var nab = new NabScore();
            foreach (var r in recordings)
            {
                var train = r.Rows[..trainRows];
                var detector = fit(r.Sensors, train);
                foreach (var row in train) detector.Score(row); // streaming detectors carry their smoothing into the test part
                var alarm = new AlarmHysteresis(raise, clear);
                var edges = new List<double>();
                for (int i = trainRows; i < r.Rows.Length; i++)
                {
                    if (alarm.Update(detector.Score(r.Rows[i]).IsAnomalous)) edges.Add(r.Seconds[i]);
                    outliers.Add(r.Anomaly![i], alarm.Raised);
                }
                nab.Add(TrueChangePoints(r, trainRows), edges, window);
            }
            results.Add(new DetectorResult(name, outliers, nab));
        }
        {
            var nab = new NabScore();
            foreach (var r in recordings)
            {
                var cusum = new CusumDetector(Baseline.Fit(r.Sensors, r.Rows[..trainRows]));
                var detections = new List<double>();
                for (int i = trainRows; i < r.Rows.Length; i++)
                    if (cusum.Update(r.Rows[i]).Count > 0) detections.Add(r.Seconds[i]);
                nab.Add(TrueChangePoints(r, trainRows), detections, window);
            }
            results.Add(new DetectorResult("cusum", null, nab));
        }

        int testRows = recordings.Sum(r => r.Rows.Length - trainRows);
        int anomalous = recordings.Sum(r => r.Anomaly!.Skip(trainRows).Count(a => a));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"skab: {recordings.Count} files, {testRows} test rows ({anomalous} anomalous), {results[0].Nab.Windows} change points; train {trainRows} rows per file; alarm raise {raise} / clear {clear}"));
        output.WriteLine();
        output.WriteLine("| detector | F1 | FAR, % | MAR, % | NAB standard | NAB LowFP | NAB LowFN | missed CPs | FPs |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var d in results)
        {
            var o = d.Outliers;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {d.Name} | {(o is null ? "—" : o.F1.ToString("F2", CultureInfo.InvariantCulture))} | {(o is null ? "—" : o.FalseAlarmRate.ToString("F2", CultureInfo.InvariantCulture))} | {(o is null ? "—" : o.MissedAlarmRate.ToString("F2", CultureInfo.InvariantCulture))} | {d.Nab.Standard:F2} | {d.Nab.LowFalsePositives:F2} | {d.Nab.LowFalseNegatives:F2} | {d.Nab.Missed} | {d.Nab.FalsePositives} |"));
        }
        output.WriteLine();
        var best = results.Where(r => r.Outliers is not null).MaxBy(r => r.Outliers!.F1)!;
        var bestNab = results.MaxBy(r => r.Nab.Standard)!;
        output.WriteLine($"skab: best outlier detector {best.Name}; best change-point detector {bestNab.Name}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"skab f1={best.Outliers!.F1:F3} far={best.Outliers.FalseAlarmRate:F2} mar={best.Outliers.MissedAlarmRate:F2} nab={bestNab.Nab.Standard:F2}"));
        return 0;
    }

    private static ConsensusDetector Consensus(IReadOnlyList<string> sensors, double[][] rows, double quantile, double margin)
    {
        var baseline = Baseline.Fit(sensors, rows);
        return new ConsensusDetector([
            new PcaDetector(baseline, quantile: quantile, margin: margin),
            new MsetDetector(baseline, quantile: quantile, margin: margin),
            new RobustEwmaDetector(rows, quantile: quantile, margin: margin)]);
    }

    private static List<double> TrueChangePoints(SkabRecording r, int trainRows) =>
        [.. Enumerable.Range(trainRows, r.Rows.Length - trainRows).Where(i => r.ChangePoint![i]).Select(i => r.Seconds[i])];
}
