using System.Diagnostics;

namespace Fieldlab.Cli.Bench;

/// <summary>A CPU-sampling trace of one process taken with <c>dotnet-trace</c> while a benchmark phase runs, when
/// <c>FIELDLAB_BENCH_TRACE_DIR</c> names where to put it (the profile behind the figures in docs/benchmarks.md).</summary>
internal sealed class CpuTrace : IDisposable
{
    private readonly Process _process;
    private readonly string _path;

    private CpuTrace(Process process, string path)
    {
        _process = process;
        _path = path;
    }

    /// <summary>Starts tracing <paramref name="pid"/>, or returns null when no trace was asked for.</summary>
    public static CpuTrace? StartIfAsked(int pid)
    {
        if (Environment.GetEnvironmentVariable("FIELDLAB_BENCH_TRACE_DIR") is not { Length: > 0 } directory) return null;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"ingest-{DateTime.UtcNow:yyyyMMddTHHmmss}.nettrace");
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", path }) start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start (dotnet tool install -g dotnet-trace).");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Thread.Sleep(1000); // the session attaches before the phase starts
        return new CpuTrace(process, path);
    }

    /// <summary>Ends the session as Ctrl+C would (SIGINT: with its input redirected dotnet-trace does not see Enter), so
    /// that it finishes the file, and returns the trace's path.</summary>
    public async Task<string> StopAsync()
    {
        using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _process.WaitForExitAsync(patience.Token);
        return _path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
