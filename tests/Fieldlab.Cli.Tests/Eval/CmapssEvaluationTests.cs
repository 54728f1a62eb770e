using System.Globalization;
using System.Text;
using Fieldlab.Cli;
using Fieldlab.Cli.Eval;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Eval;

/// <summary><c>./fieldlab eval cmapss</c> on generated files in C-MAPSS's layout, including two operating regimes
/// (as FD002/FD004 have), so the suite never needs NASA's data.</summary>
public sealed class CmapssEvaluationTests
{
    [Fact]
    public void GeneratedRunToFailureFiles_AreScored_AndTheLastLineIsKeyValue()
    {
        using var dir = new TempDirectory("cmapss");
        var random = new Random(1);
        var truth = Write(dir.File("train_FD002.txt"), units: 30, random, truncate: false);
        var ruls = Write(dir.File("test_FD002.txt"), units: 12, random, truncate: true);
        File.WriteAllLines(dir.File("RUL_FD002.txt"), ruls.Select(r => r.ToString(CultureInfo.InvariantCulture) + " "));

        var output = new StringWriter();
        Assert.Equal(0, CmapssEvaluation.Run(new CmapssSettings(dir.Path) { Subset = "FD002", Trees = 80 }, output));
        var lines = ScriptedOutput.Lines(output);
        Assert.Contains(lines, l => l.Contains("2 operating regime(s)"));
        var last = ScriptedOutput.LastLine(lines, "cmapss");
        Assert.Equal(["subset", "rmse", "score"], last.Select(kv => kv.Key));
        Assert.Equal("FD002", last[0].Value);
        Assert.InRange(last.Number("rmse"), 0, 30);
        Assert.True(last.Number("score") >= 0);
    }

    [Fact]
    public void MissingRulFile_IsAClearError()
    {
        using var dir = new TempDirectory("cmapss-missing");
        var random = new Random(2);
        Write(dir.File("train_FD001.txt"), 3, random, false);
        Write(dir.File("test_FD001.txt"), 2, random, true);
        var error = Assert.Throws<UsageException>(() => CmapssEvaluation.Run(new CmapssSettings(dir.Path), new StringWriter()));
        Assert.Contains("RUL_FD001.txt", error.Message);
    }

    // Engines whose sensors drift with wear (exponential towards failure), in one of two operating regimes that shift
    // every sensor's level; test engines are cut before failure and their remaining cycles returned.
    private static List<int> Write(string path, int units, Random random, bool truncate)
    {
        var text = new StringBuilder();
        var remaining = new List<int>();
        for (int u = 1; u <= units; u++)
        {
            int life = 120 + random.Next(120);
            int cut = truncate ? random.Next(40, life - 5) : life;
            remaining.Add(life - cut);
            for (int c = 1; c <= cut; c++)
            {
                int regime = random.Next(2);
                double wear = Math.Exp(4.0 * (c - life) / life);
                text.Append(CultureInfo.InvariantCulture, $"{u} {c} {(regime == 0 ? 0.0012 : 20.0)} {(regime == 0 ? 0.0002 : 0.7)} {(regime == 0 ? 100 : 60)}");
                for (int s = 0; s < CmapssData.Sensors; s++)
                {
                    double level = 100 + 10 * s + (regime == 0 ? 0 : 50);
                    double drift = s % 3 == 0 ? 0 : (s % 2 == 0 ? 1 : -1) * 5 * wear;
                    text.Append(CultureInfo.InvariantCulture, $" {level + drift + 0.3 * (random.NextDouble() - 0.5):F4}");
                }
                text.Append("  \n");
            }
        }
        File.WriteAllText(path, text.ToString());
        return remaining;
    }
}
