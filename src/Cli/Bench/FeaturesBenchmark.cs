using System.Diagnostics;
using System.Globalization;
using Fieldlab.LocalServers;
using Fieldlab.PredictiveMaintenance.Signals;
using MathNet.Numerics.IntegralTransforms;

namespace Fieldlab.Cli.Bench;

/// <summary><c>./fieldlab bench features</c>: the vibration-feature workload of ../shared/bench/features-ref run by its
/// C/FFTW reference and by Fieldlab's <see cref="VibrationFeatureExtractor"/>, alternately, in the same run.</summary>
/// <remarks>
/// The reference is copied to a temporary directory and built there (its own directory may be read-only). Each round
/// runs the C program (P timed passes, its median) and then the C# port (one warm-up, P timed passes on the thread CPU
/// clock, median); the figures are medians over rounds. The first round also compares every one of the 276 × 26
/// feature values with the reference's <c>--dump</c> and checks that the timed passes allocated nothing.
/// Last line: <c>features x_realtime_per_core=N ratio_to_fftw=R</c>, N seconds of 3-axis stream per CPU second,
/// R = Fieldlab's speed / the reference's (double precision).
/// </remarks>
internal static class FeaturesBenchmark
{
    private const int Hop = 16_384;

    public static async Task<int> RunAsync(FeaturesBenchSettings settings, CancellationToken cancellationToken)
    {
        int rounds = settings.Rounds, passes = settings.Passes;
        var source = settings.ReferenceDirectory ?? Environment.GetEnvironmentVariable("FIELDLAB_FEATURES_REF")
            ?? Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "bench", "features-ref"));
        if (rounds < 1 || passes < 1) throw new UsageException("--rounds and --passes must be at least 1");
        if (!File.Exists(Path.Combine(source, "features_ref.c")))
            throw new UsageException($"features-ref not found at {source} (pass --ref DIR or set FIELDLAB_FEATURES_REF)");

        var work = Directory.CreateTempSubdirectory("fieldlab-features-ref-");
        try
        {
            var program = await BuildReferenceAsync(source, work.FullName, cancellationToken);
            Console.WriteLine("features: generating the reference signal (3 axes × 60 s at 25.6 kHz)");
            var signal = ReferenceVibrationSignal.Generate();
            var extractor = new VibrationFeatureExtractor(VibrationFeatureSettings.Reference);
            int frames = (ReferenceVibrationSignal.Length - VibrationFeatureSettings.Reference.WindowLength) / Hop + 1;
            var features = new double[frames, ReferenceVibrationSignal.Axes, VibrationFeatures.Count];
            double streamSeconds = frames * (double)Hop / ReferenceVibrationSignal.SampleRateHz;

            var referenceSeconds = new List<double>();
            var fieldlabSeconds = new List<double>();
            long allocated = 0;
            string dump = Path.Combine(work.FullName, "reference.csv");
            for (int round = 0; round < rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                referenceSeconds.Add(await RunReferenceAsync(program, passes, round == 0 ? dump : null, cancellationToken));
                Pass(extractor, signal, frames, features);
                var times = new double[passes];
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int p = 0; p < passes; p++)
                {
                    double start = ThreadCpuClock.Seconds();
                    Pass(extractor, signal, frames, features);
                    times[p] = ThreadCpuClock.Seconds() - start;
                }
                // Round 1's passes may still see tiered-JIT promotion allocate a little; the steady state is later rounds.
                if (round > 0 || rounds == 1) allocated = Math.Max(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
                fieldlabSeconds.Add(Median([.. times]));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: fftw cpu_s={referenceSeconds[^1]:F5}  fieldlab cpu_s={fieldlabSeconds[^1]:F5}  ratio={referenceSeconds[^1] / fieldlabSeconds[^1]:F3}"));
            }

            var (worstValue, worstSum) = Compare(dump, features, frames);
            var (ownFft, mathNetFft) = TimeFfts(VibrationFeatureSettings.Reference.WindowLength);
            double fftw = Median(referenceSeconds), ours = Median(fieldlabSeconds);
            var table = string.Create(CultureInfo.InvariantCulture, $"""

                | | CPU s per pass (median of {rounds} rounds × {passes} passes) | × real time per core | axis-windows/s |
                | --- | --- | --- | --- |
                | features-ref (C, FFTW3, -O3 -march=native) | {fftw:F5} | {streamSeconds / fftw:F1} | {frames * 3 / fftw:F0} |
                | Fieldlab VibrationFeatureExtractor (C#) | {ours:F5} | {streamSeconds / ours:F1} | {frames * 3 / ours:F0} |

                agreement with the reference: worst value {worstValue:E2} relative, worst feature sum {worstSum:E2} relative (limit 1e-12)
                allocated during the timed passes of rounds 2 … {rounds}: {allocated} bytes
                real FFT of 32,768 points: Fieldlab {ownFft * 1e6:F1} µs, MathNet.Numerics {mathNetFft * 1e6:F1} µs ({mathNetFft / ownFft:F1}× faster)
                """);
            Console.WriteLine(table);
            if (worstValue > 1e-12 || worstSum > 1e-12) Console.Error.WriteLine("features: results differ from the reference by more than 1e-12");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"features x_realtime_per_core={streamSeconds / ours:F1} ratio_to_fftw={fftw / ours:F3}"));
            return worstValue > 1e-12 || worstSum > 1e-12 || allocated > 0 ? 1 : 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // One pass of the workload: 92 frames × 3 axes, frame-major, as the reference orders them.
    private static void Pass(VibrationFeatureExtractor extractor, double[][] signal, int frames, double[,,] features)
    {
        Span<double> row = stackalloc double[VibrationFeatures.Count];
        int n = extractor.Settings.WindowLength;
        for (int f = 0; f < frames; f++)
            for (int a = 0; a < signal.Length; a++)
            {
                extractor.Extract(signal[a].AsSpan(f * Hop, n), row);
                for (int i = 0; i < row.Length; i++) features[f, a, i] = row[i];
            }
    }

    private static async Task<string> BuildReferenceAsync(string source, string work, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
        Console.WriteLine($"features: building features-ref from {source}");
        var (code, output) = await RunAsync("make", "features_ref", work, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"building features-ref failed (is libfftw3-dev installed?):\n{output}");
        return Path.Combine(work, "features_ref");
    }

    private static async Task<double> RunReferenceAsync(string program, int passes, string? dump, CancellationToken cancellationToken)
    {
        var arguments = $"--prec double --passes {passes}" + (dump is null ? "" : $" --dump {dump}");
        var (code, output) = await RunAsync(program, arguments, Path.GetDirectoryName(program)!, cancellationToken);
        if (code != 0) throw new InvalidOperationException($"features-ref failed:\n{output}");
        var result = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT prec=double", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"features-ref printed no RESULT line:\n{output}");
        var cpu = result.Split(' ').Single(p => p.StartsWith("cpu_s=", StringComparison.Ordinal))["cpu_s=".Length..];
        return double.Parse(cpu, CultureInfo.InvariantCulture);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string arguments, string directory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    // Worst relative difference per value and per feature sum against the reference's --dump CSV.
    private static (double Value, double Sum) Compare(string dump, double[,,] features, int frames)
    {
        var sums = new double[VibrationFeatures.Count];
        var referenceSums = new double[VibrationFeatures.Count];
        double worstValue = 0;
        int rows = 0;
        foreach (var line in File.ReadLines(dump).Skip(1))
        {
            var cells = line.Split(',');
            int f = int.Parse(cells[0], CultureInfo.InvariantCulture), a = int.Parse(cells[1], CultureInfo.InvariantCulture);
            for (int i = 0; i < VibrationFeatures.Count; i++)
            {
                double expected = double.Parse(cells[2 + i], CultureInfo.InvariantCulture), actual = features[f, a, i];
                worstValue = Math.Max(worstValue, Math.Abs(actual - expected) / Math.Abs(expected));
                sums[i] += actual;
                referenceSums[i] += expected;
            }
            rows++;
        }
        if (rows != frames * ReferenceVibrationSignal.Axes) throw new InvalidOperationException($"the reference dumped {rows} rows, expected {frames * 3}");
        double worstSum = Enumerable.Range(0, sums.Length).Max(i => Math.Abs(sums[i] - referenceSums[i]) / Math.Abs(referenceSums[i]));
        return (worstValue, worstSum);
    }

    // Seconds per forward real FFT of n points: Fieldlab's RealFft against MathNet's Fourier.ForwardReal.
    private static (double Own, double MathNet) TimeFfts(int n)
    {
        const int repeats = 200;
        var random = new Random(1);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var re = new double[n / 2 + 1];
        var im = new double[n / 2 + 1];
        var own = new RealFft(n);
        var packed = new double[n + 2];
        double Time(Action transform)
        {
            for (int i = 0; i < 10; i++) transform();
            double start = ThreadCpuClock.Seconds();
            for (int i = 0; i < repeats; i++) transform();
            return (ThreadCpuClock.Seconds() - start) / repeats;
        }
        double ownSeconds = Time(() => own.Forward(x, re, im));
        double mathNetSeconds = Time(() =>
        {
            x.CopyTo(packed, 0);
            Fourier.ForwardReal(packed, n, FourierOptions.NoScaling);
        });
        return (ownSeconds, mathNetSeconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
