using System.Globalization;
using System.Text;
using Fieldlab.Cli;
using Fieldlab.Cli.Eval;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Eval;

/// <summary><c>./fieldlab eval fuelcell</c> on a stack the simulator ages, written in the FCLAB layout under another
/// stack name: the fit recovers the simulator's curves, and the run needs no monitoring data.</summary>
public sealed class FuelCellEvaluationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SimulatedStack_IsFittedToWithinAMillivolt_WithOrWithoutMonitoringData(bool monitoring)
    {
        using var dir = new TempDirectory("fuelcell");
        WriteStack(dir, monitoring);

        var output = new StringWriter();
        Assert.Equal(0, FuelCellEvaluation.Run(dir.Path, output));
        var lines = ScriptedOutput.Lines(output);
        Assert.StartsWith("fuelcell SIM1: 5 polarisation curves", lines[0]);
        var last = ScriptedOutput.LastLine(lines, "fuelcell");
        Assert.Equal(["fit_rmse_mv", "forecast_mape_pct"], last.Select(kv => kv.Key));
        double rmse = last.Number("fit_rmse_mv");
        double mape = last.Number("forecast_mape_pct");
        Assert.InRange(rmse, 0, 1.0);   // the model that made the curves fits them (4-decimal rounding aside)
        Assert.InRange(mape, 0, 0.5);   // and the simulator's linear ageing extrapolates
        Assert.Contains(lines, l => monitoring ? l.Contains("fuelcell: monitoring") : l.Contains("no monitoring data"));
    }

    [Fact]
    public void FolderWithoutCurves_IsAClearError()
    {
        using var dir = new TempDirectory("fuelcell-empty");
        Assert.Contains("polarization", Assert.Throws<UsageException>(() => FuelCellEvaluation.Run(dir.Path, new StringWriter())).Message);
    }

    [Fact]
    public async Task ThroughTheCommandLine_TheLastLineReachesTheCallersOutput()
    {
        using var dir = new TempDirectory("fuelcell-cli");
        WriteStack(dir, monitoring: false);
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await CliRoot.InvokeAsync(["eval", "fuelcell", dir.Path], output, error, CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        Assert.Equal("", error.ToString());
        Assert.Equal(["fit_rmse_mv", "forecast_mape_pct"], ScriptedOutput.LastLine(ScriptedOutput.Lines(output), "fuelcell").Select(kv => kv.Key));
    }

    // A stack the simulator ages, in the FCLAB layout: five polarisation curves and, optionally, 100 h of monitoring.
    private static void WriteStack(TempDirectory dir, bool monitoring)
    {
        var stack = new FuelCellStack(new FuelCellParameters());
        Directory.CreateDirectory(Path.Combine(dir.Path, "polarization"));
        foreach (double hours in new[] { 0.0, 150, 300, 450, 600 })
        {
            var text = new StringBuilder("U1 (V),U2 (V),U3 (V),U4 (V),U5 (V),Ustack (V),I (A),J (A/cm\u00b2)\n");
            var cell = stack.AgedCell(hours);
            for (double j = 1.0; j >= 0.0002; j -= 0.002)
            {
                var point = stack.Solve(j * stack.Parameters.CellAreaCm2, cell);
                double u = point.CellVoltage;
                text.Append(CultureInfo.InvariantCulture, $"{u:F4},{u:F4},{u:F4},{u:F4},{u:F4},{5 * u:F4},{point.CurrentA:F3},{j:F5}\n");
            }
            File.WriteAllText(Path.Combine(dir.Path, "polarization", $"SIM1_Pola_T{hours:000}.csv"), text.ToString(), Encoding.Latin1);
        }
        if (monitoring)
        {
            var text = new StringBuilder("Time (h),U1 (V),U2 (V),U3 (V),U4 (V),U5 (V),Utot (V),J (A/cm\u00b2),I (A)\n");
            for (double h = 600; h < 700; h += 0.1)
            {
                var p = stack.Solve(70, stack.AgedCell(h));
                text.Append(CultureInfo.InvariantCulture, $"{h:F3},{p.CellVoltage:F5},{p.CellVoltage:F5},{p.CellVoltage:F5},{p.CellVoltage:F5},{p.CellVoltage:F5},{p.StackVoltage:F5},0.7,70\n");
            }
            File.WriteAllText(dir.File("SIM1_Ageing_part1.csv"), text.ToString(), Encoding.Latin1);
        }
    }
}
