using System.Globalization;
using System.Text;
using Fieldlab.Cli;
using Fieldlab.Cli.Eval;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Eval;

/// <summary><c>./fieldlab eval skab</c> on generated files in SKAB's format (the suite never needs the real SKAB).</summary>
public sealed class SkabEvaluationTests
{
    private const string Header = "datetime;flow;pressure;current;vibration;temperature;anomaly;changepoint";

    [Fact]
    public void GeneratedPumpFaults_AreFoundByEveryDetector_AndTheLastLineIsKeyValue()
    {
        using var dir = new TempDirectory("skab-eval");
        Directory.CreateDirectory(Path.Combine(dir.Path, "clog"));
        for (int f = 0; f < 3; f++) WriteRecording(Path.Combine(dir.Path, "clog", $"{f}.csv"), seed: f, faultStart: 600 + 40 * f, faultLength: 300);
        File.WriteAllText(dir.File("normal.csv"), "datetime;flow\n2020-01-01 00:00:00;1\n"); // unlabelled: reported, not scored

        var output = new StringWriter();
        int code = SkabEvaluation.Run(new SkabSettings(dir.Path), output);

        var lines = ScriptedOutput.Lines(output);
        Assert.True(code == 0, output.ToString());
        Assert.Contains(lines, l => l.Contains("normal.csv: no anomaly/changepoint columns, not scored"));
        Assert.Contains(lines, l => l.StartsWith("skab: 3 files, 1920 test rows (900 anomalous), 6 change points", StringComparison.Ordinal));
        foreach (var detector in new[] { "pca-t2q", "mset", "robust-ewma", "consensus" })
        {
            var row = lines.Single(l => l.StartsWith($"| {detector} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
            Assert.True(double.Parse(row[2], CultureInfo.InvariantCulture) >= 0.8, $"{detector}: {string.Join(" | ", row)}");
        }
        var last = ScriptedOutput.LastLine(lines, "skab");
        var values = last.ToDictionary(kv => kv.Key, kv => double.Parse(kv.Value, CultureInfo.InvariantCulture));
        Assert.Equal(["f1", "far", "mar", "nab"], values.Keys);
        Assert.InRange(values["f1"], 0.85, 1.0);
        Assert.InRange(values["far"], 0, 10);
        Assert.InRange(values["nab"], 20, 100);
    }

    [Fact]
    public void MalformedRow_StopsTheEvaluation_NamingFileAndLine()
    {
        using var dir = new TempDirectory("skab-bad");
        var path = dir.File("bad.csv");
        WriteRecording(path, seed: 1, faultStart: 600, faultLength: 100);
        var lines = File.ReadAllLines(path);
        lines[42] = lines[42].Replace(';', ',');
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<FormatException>(() => SkabEvaluation.Run(new SkabSettings(dir.Path), new StringWriter()));
        Assert.Contains("bad.csv: line 43", error.Message);
    }

    [Fact]
    public void NonNumericSensorValue_IsAnError_NeverAZero()
    {
        using var dir = new TempDirectory("skab-nan");
        var path = dir.File("nan.csv");
        WriteRecording(path, seed: 2, faultStart: 600, faultLength: 100);
        var lines = File.ReadAllLines(path);
        var cells = lines[10].Split(';');
        cells[2] = "n/a";
        lines[10] = string.Join(';', cells);
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<FormatException>(() => SkabEvaluation.Run(new SkabSettings(dir.Path), new StringWriter()));
        Assert.Contains("line 11: column 'pressure' holds 'n/a'", error.Message);
    }

    // A pump loop at a wandering operating point; from faultStart a clogging filter lowers flow and raises pressure,
    // current and vibration over 30 s, then clears. Change points mark the start and end of the fault.
    private static void WriteRecording(string path, int seed, int faultStart, int faultLength)
    {
        var random = new Random(seed);
        double Noise() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var start = new DateTime(2020, 3, 9, 10, 0, 0);
        var text = new StringBuilder(Header).Append('\n');
        double temperature = 60;
        for (int i = 0; i < 1040; i++)
        {
            double load = 1 + 0.05 * Math.Sin(i / 50.0) + 0.01 * Noise();
            double fault = i < faultStart || i >= faultStart + faultLength ? 0 : Math.Min(1, (i - faultStart) / 30.0);
            double flow = 32 * load * (1 - 0.25 * fault) + 0.2 * Noise();
            double pressure = 1.1 * load * load * (1 + 0.4 * fault) + 0.01 * Noise();
            double current = 2.1 * load * (1 + 0.15 * fault) + 0.01 * Noise();
            double vibration = 0.03 * (1 + 0.8 * fault) + 0.001 * Noise();
            temperature += 0.02 * (70 + 5 * fault - temperature) + 0.02 * Noise();
            bool anomalous = i >= faultStart && i < faultStart + faultLength;
            bool change = i == faultStart || i == faultStart + faultLength;
            text.Append(CultureInfo.InvariantCulture, $"{start.AddSeconds(i):yyyy-MM-dd HH:mm:ss};{flow:R};{pressure:R};{current:R};{vibration:R};{temperature:R};{(anomalous ? "1.0" : "0.0")};{(change ? "1.0" : "0.0")}\n");
        }
        File.WriteAllText(path, text.ToString());
    }
}
