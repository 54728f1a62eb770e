using System.Globalization;
using System.Text;
using Fieldlab.Cli;
using Fieldlab.Cli.Eval;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Eval;

/// <summary><c>./fieldlab eval cwru</c> on recordings of the simulated motor rig written in the CWRU layout: trained at one
/// load, tested at another (cross-load), with the normal recording at 4× the rate as in CWRU.</summary>
public sealed class CwruEvaluationTests
{
    [Fact]
    public void ClassifierTrainedAtOneLoad_LocatesBearingFaultsAtAnother()
    {
        using var train = new TempDirectory("cwru-train");
        using var test = new TempDirectory("cwru-test");
        WriteSet(train.Path, load: 0.9, seed: 1);
        WriteSet(test.Path, load: 0.4, seed: 2);

        var output = new StringWriter();
        int code = CwruEvaluation.Run(new CwruSettings(train.Path) { TestDirectory = test.Path, Trees = 60 }, output);

        var lines = ScriptedOutput.Lines(output);
        Assert.True(code == 0, output.ToString());
        Assert.Contains(lines, l => l.Contains("Normal, ") && l.Contains("48 kHz"));
        var last = ScriptedOutput.LastLine(lines, "cwru");
        Assert.Equal(["accuracy"], last.Select(kv => kv.Key));
        double accuracy = last.Number("accuracy");
        Assert.True(accuracy >= 0.9, output.ToString());
    }

    [Fact]
    public void RecordingWhoseNameDoesNotSayWhatItIs_IsRefusedClearly()
    {
        using var dir = new TempDirectory("cwru-bad");
        File.WriteAllText(dir.File("motor.csv"), "DE\n0.1\n");
        var error = Assert.Throws<FormatException>(() => CwruEvaluation.Run(new CwruSettings(dir.Path), new StringWriter()));
        Assert.Contains("motor.csv: the name must look like", error.Message);
    }

    private static void WriteSet(string dir, double load, int seed)
    {
        Write(dir, "Normal", "", 48_000, load, seed, _ => { });
        foreach (var (kind, fault) in new[] { ("IR", "bearing_inner"), ("B", "bearing_ball"), ("ORat6", "bearing_outer") })
            foreach (var (size, severity) in new[] { ("007", 0.3), ("014", 0.7) })
                Write(dir, kind, size, 12_000, load, seed + (int)(severity * 10), rig => rig.SetFault(fault, severity));
    }

    private static void Write(string dir, string kind, string size, double rate, double load, int seed, Action<MotorRig> fault)
    {
        var rig = new MotorRig(seed, processRateHz: 10, vibrationRateHz: rate, vibrationAxes: 1);
        rig.Process.LoadOverride = load;
        var values = new double[rig.Process.Sensors.Count];
        for (int i = 0; i < 50; i++) rig.Process.Sample(1_700_000_000_000_000_000L + i * 100_000_000L, values);
        fault(rig);
        int n = (int)(rate * 2.5);
        var samples = new float[n];
        rig.Vibration.Generate(samples, n);
        int rpm = (int)Math.Round(rig.Current.ShaftHz * 60);
        var name = $"0hp_{rpm}rpm_{kind}{(size.Length > 0 ? "_" + size : "")}_X000_{rate / 1000:0}k.csv";
        var text = new StringBuilder("DE\n");
        foreach (var s in samples) text.Append(((double)s).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(Path.Combine(dir, name), text.ToString());
    }
}
