using System.Globalization;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.Cli.Eval;

/// <summary><c>./fieldlab eval cwru --train DIR [--test DIR]</c>: the bearing-fault classifier on CWRU recordings,
/// with the confusion matrix of the location and the accuracy of location × size.</summary>
/// <remarks>
/// Every recording is brought to one rate (<c>--rate</c>, 12 kHz) by anti-aliased decimation (<see cref="Decimator"/>:
/// the 48 kHz normal baseline by 4); windows of 2,048 samples at 50 % overlap; features by
/// <see cref="VibrationFeatureExtractor"/> with the recording's own shaft speed (from its name) and the SKF 6205's
/// defect frequencies, then <see cref="BearingFeatureVector"/>. Without <c>--test</c>, each recording is split in time:
/// windows wholly inside its first 70 % train, windows wholly inside its last 30 % test, so no training window overlaps
/// a test window. With <c>--test DIR</c>, all of DIR's windows test (e.g. another motor load: cross-load). Last line:
/// <c>cwru accuracy=A</c>, the share of test windows whose location (normal / inner race / outer race / ball) is right.
/// </remarks>
internal static class CwruEvaluation
{
    private const int Window = 2048;
    private const int Hop = 1024;

    private sealed record Example(double[] Features, CwruRecording Source);

    public static int Run(CwruSettings settings, TextWriter output)
    {
        var trainDir = settings.TrainDirectory;
        var testDir = settings.TestDirectory;
        double rate = settings.RateHz;
        int trees = settings.Trees;
        double trainShare = settings.TrainShare;

        var trainRecordings = Load(trainDir, output);
        var testRecordings = testDir is null ? trainRecordings : Load(testDir, output);
        var train = new List<Example>();
        var test = new List<Example>();
        foreach (var r in trainRecordings)
        {
            var signal = Resample(r, rate);
            int split = testDir is null ? (int)(signal.Length * trainShare) : signal.Length;
            train.AddRange(Windows(r, signal, rate, 0, split));
            if (testDir is null) test.AddRange(Windows(r, signal, rate, split, signal.Length));
        }
        if (testDir is not null)
            foreach (var r in testRecordings) test.AddRange(Windows(r, Resample(r, rate), rate, 0, int.MaxValue));
        if (train.Count == 0 || test.Count == 0) throw new UsageException("no windows to train or test on");

        var classifier = BearingFaultClassifier.Train([.. train.Select(e => (e.Features, e.Source.Condition, e.Source.SizeInches))], trees);
        int classes = Enum.GetValues<BearingCondition>().Length;
        var confusion = new int[classes, classes];
        int right = 0, rightWithSize = 0, faultyRight = 0, sizeRight = 0;
        foreach (var e in test)
        {
            var d = classifier.Diagnose(e.Features);
            confusion[(int)e.Source.Condition, (int)d.Condition]++;
            if (d.Condition != e.Source.Condition) continue;
            right++;
            bool sizeOk = d.Severity is null || Math.Abs(classifier.NearestSize(d.Severity.Value) - e.Source.SizeInches) < 1e-9;
            if (e.Source.Condition != BearingCondition.Normal) { faultyRight++; if (sizeOk) sizeRight++; }
            if (sizeOk) rightWithSize++;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cwru: {trainRecordings.Count} training recordings, {train.Count} windows; {(testDir is null ? $"time split {trainShare:P0} / {1 - trainShare:P0} of each recording" : $"{testRecordings.Count} test recordings from {testDir}")}, {test.Count} test windows; {Window} samples at {rate / 1000:0.#} kHz"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cwru: out-of-bag accuracy on the training windows {classifier.OutOfBagAccuracy:P1}"));
        output.WriteLine();
        output.WriteLine("| true \\ predicted | " + string.Join(" | ", Enum.GetValues<BearingCondition>().Select(CwruRecording.Short)) + " |");
        output.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" --- |", classes)));
        for (int t = 0; t < classes; t++)
            output.WriteLine($"| {CwruRecording.Short((BearingCondition)t)} | " + string.Join(" | ", Enumerable.Range(0, classes).Select(p => confusion[t, p])) + " |");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cwru: location and size right: {rightWithSize / (double)test.Count:P1} ({rightWithSize}/{test.Count}); size right among correctly located faults: {(faultyRight == 0 ? 0 : sizeRight / (double)faultyRight):P1}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cwru accuracy={right / (double)test.Count:F4}"));
        return 0;
    }

    private static List<CwruRecording> Load(string dir, TextWriter output)
    {
        if (!Directory.Exists(dir)) throw new UsageException($"no such directory: {dir}");
        var recordings = Directory.EnumerateFiles(dir, "*.csv").Order(StringComparer.Ordinal).Select(CwruRecording.Read).ToList();
        if (recordings.Count == 0) throw new UsageException($"no CWRU recordings (*.csv) in {dir}");
        foreach (var r in recordings)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cwru: {r.Name}: {r.Label}, {r.Rpm} rpm, {r.SampleRateHz / 1000:0.#} kHz, {r.DriveEnd.Length} samples"));
        return recordings;
    }

    // One rate for every recording: integer decimation with an anti-alias filter; anything else is refused.
    private static double[] Resample(CwruRecording r, double rate)
    {
        if (Math.Abs(r.SampleRateHz - rate) < 1e-9) return r.DriveEnd;
        double factor = r.SampleRateHz / rate;
        if (factor < 2 || Math.Abs(factor - Math.Round(factor)) > 1e-9)
            throw new UsageException($"{r.Name}: {r.SampleRateHz} Hz cannot be brought to {rate} Hz by integer decimation");
        return new Decimator((int)Math.Round(factor)).Apply(r.DriveEnd);
    }

    private static IEnumerable<Example> Windows(CwruRecording r, double[] signal, double rate, int from, int to)
    {
        to = Math.Min(to, signal.Length);
        double shaft = r.Rpm / 60;
        var extractor = new VibrationFeatureExtractor(VibrationFeatureSettings.ForRate(rate, Window, shaft, BearingGeometry.Skf6205.At(shaft), 2000, 5000));
        var scratch = new double[VibrationFeatures.Count];
        var list = new List<Example>();
        for (int start = from; start + Window <= to; start += Hop)
            list.Add(new Example(BearingFeatureVector.Describe(extractor, signal.AsSpan(start, Window), scratch), r));
        return list;
    }
}
