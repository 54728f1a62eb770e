using System.Diagnostics;
using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.Dashboards.Tests.Provisioning;

/// <summary><c>./fieldlab grafana-env</c> prints, one NAME=value per line, every variable the provisioning files
/// read, with the values of the platform <c>./fieldlab up</c> started (its ports file and Grafana's secret).</summary>
public sealed class GrafanaEnvTests
{
    [Fact]
    public async Task GrafanaEnv_PrintsEveryVariableTheProvisioningReads_WithTheRunningPlatformsValues()
    {
        using var root = new TempDirectory("grafana-env");
        var script = CopyScript(root);
        Directory.CreateDirectory(Path.Combine(root.Path, ".fieldlab", "secrets"));
        await File.WriteAllTextAsync(Path.Combine(root.Path, ".fieldlab", "ports.env"), "MQTT_PORT=1\nINFLUX_PORT=34567\nAPI_PORT=2\nINGEST_PORT=3\n");
        await File.WriteAllTextAsync(Path.Combine(root.Path, ".fieldlab", "secrets", "influx-grafana.password"), "s3cret-for-grafana");

        var (code, output, error) = await RunAsync(script, "grafana-env");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches("^[A-Z][A-Z0-9_]*=", l));
        var printed = lines.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        foreach (var name in ProvisionedGrafana.Load().Environment) Assert.True(printed.ContainsKey(name), $"grafana-env does not print {name}");
        Assert.Equal("http://127.0.0.1:34567", printed["FIELDLAB_INFLUX_URL"]);
        Assert.Equal("s3cret-for-grafana", printed["FIELDLAB_INFLUX_PASSWORD"]);
        Assert.Equal("grafana", printed["FIELDLAB_INFLUX_USER"]);
        Assert.Equal(Path.Combine(root.Path, "dashboards"), printed["FIELDLAB_DASHBOARDS_DIR"]);
    }

    [Fact]
    public async Task GrafanaEnv_BeforeUpHasRun_SaysWhatToDo()
    {
        using var root = new TempDirectory("grafana-env");
        var (code, _, error) = await RunAsync(CopyScript(root), "grafana-env");
        Assert.NotEqual(0, code);
        Assert.Contains("./fieldlab up", error);
    }

    // The script finds its state next to itself: a copy in a temporary root reads that root's state, not the checkout's.
    private static string CopyScript(TempDirectory root)
    {
        var script = Path.Combine(root.Path, "fieldlab");
        File.Copy(RepositoryRoot.File("fieldlab"), script);
        return script;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
