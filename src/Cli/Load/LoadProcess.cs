using System.Diagnostics;
using System.Globalization;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Load;

/// <summary>The load generator as a separate process (this CLI's <c>loadgen</c> command), so that the load never shares
/// a runtime with what it measures.</summary>
public sealed class LoadProcess : IDisposable
{
    private readonly Process _process;

    private LoadProcess(Process process) => _process = process;

    /// <summary>Starts publishing <paramref name="rows"/> rows of the bench rig.</summary>
    public static LoadProcess Start(int port, RigAddress rig, long rows, int batch, int sensors, long startSeq = 0, double rate = 0, bool live = false,
        LoadLogin? login = null, long? startNs = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        string[] args =
        [
            typeof(LoadProcess).Assembly.Location, "loadgen", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--site", rig.Site, "--rig", rig.Rig, "--rows", rows.ToString(CultureInfo.InvariantCulture),
            "--batch", batch.ToString(CultureInfo.InvariantCulture), "--sensors", sensors.ToString(CultureInfo.InvariantCulture),
            "--start-seq", startSeq.ToString(CultureInfo.InvariantCulture), "--rate", rate.ToString("R", CultureInfo.InvariantCulture),
        ];
        foreach (var a in args) start.ArgumentList.Add(a);
        if (live) start.ArgumentList.Add("--live");
        if (startNs is { } first)
        {
            start.ArgumentList.Add("--start-ns");
            start.ArgumentList.Add(first.ToString(CultureInfo.InvariantCulture));
        }
        if (login is not null)
        {
            start.ArgumentList.Add("--username");
            start.ArgumentList.Add(login.Username);
            start.ArgumentList.Add("--password-file");
            start.ArgumentList.Add(login.PasswordFile);
        }
        return new LoadProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the load generator"));
    }

    /// <summary>The generator's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Waits for the generator's first publish and returns its time (ns since the epoch).</summary>
    public async Task<long> StartedAsync(CancellationToken cancellationToken)
    {
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the load generator said nothing");
        return long.Parse(line.Split('=')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the generator has published everything.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _process.StandardOutput.ReadToEndAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        if (_process.ExitCode != 0) throw new InvalidOperationException($"the load generator failed with exit code {_process.ExitCode}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}

/// <summary>How the load generator logs in to a secured broker: as the bench rig's gateway, its password in a file
/// (never on the command line).</summary>
public sealed record LoadLogin(string Username, string PasswordFile);
