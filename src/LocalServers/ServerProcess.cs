using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Fieldlab.LocalServers;

/// <summary>A server process the tests started and own: start, stop by SIGTERM, kill by SIGKILL, start again with
/// the same configuration and data. Its PID goes to $FIELDLAB_TEST_RUN_DIR (if set) so that `./fieldlab test`
/// can stop leftovers of a crashed test host.</summary>
public abstract partial class ServerProcess : IAsyncDisposable
{
    private Process? _process;

    /// <summary>Working directory holding config, data and log.</summary>
    public string Directory { get; }

    /// <summary>Log file of the server.</summary>
    public string LogFile => System.IO.Path.Combine(Directory, "server.log");

    /// <summary>PID of the running process, or null.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Creates the working directory.</summary>
    protected ServerProcess(string name)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fieldlab-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The command line (run through <c>sh -c exec …</c> so that the PID is the server's own).</summary>
    protected abstract string CommandLine { get; }

    /// <summary>Waits until the server accepts requests.</summary>
    protected abstract Task WaitReadyAsync(CancellationToken cancellationToken);

    /// <summary>Starts (or restarts) the server and waits until it is ready.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning) throw new InvalidOperationException("Already running.");
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"exec {CommandLine} >> '{LogFile}' 2>&1" },
            WorkingDirectory = Directory,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start: {CommandLine}");
        RecordPid(_process.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                if (_process.HasExited) throw new InvalidOperationException($"Server exited with {_process.ExitCode} during start. Log:\n{Tail()}");
                try
                {
                    await WaitReadyAsync(timeout.Token);
                    return;
                }
                catch (Exception) when (!timeout.IsCancellationRequested)
                {
                    await Task.Delay(50, timeout.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Server not ready within 60 s: {CommandLine}. Log:\n{Tail()}");
        }
    }

    /// <summary>Stops gracefully with SIGTERM and waits for the exit (SIGKILL after <paramref name="patience"/>, 30 s by default).</summary>
    public Task StopAsync(TimeSpan? patience = null) => SignalAndWaitAsync(StopSignal, patience);

    /// <summary>The signal that asks this server to stop cleanly (SIGTERM unless the server says otherwise).</summary>
    protected virtual int StopSignal => 15;

    /// <summary>Kills with SIGKILL (no chance to save anything) and waits for the exit.</summary>
    public Task KillAsync() => SignalAndWaitAsync(9);

    /// <summary>Freezes the process with SIGSTOP (it keeps its sockets but answers nothing).</summary>
    public void Pause() => Signal(19);

    /// <summary>Thaws a paused process with SIGCONT.</summary>
    public void Resume() => Signal(18);

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogFile).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (IsRunning) await SignalAndWaitAsync(StopSignal);
        _process?.Dispose();
        GC.SuppressFinalize(this);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private void Signal(int signal)
    {
        if (_process is { HasExited: false } p) _ = Kill(p.Id, signal);
    }

    private async Task SignalAndWaitAsync(int signal, TimeSpan? patience = null)
    {
        if (_process is not { HasExited: false } p) return;
        _ = Kill(p.Id, 18); // a paused process cannot act on SIGTERM
        _ = Kill(p.Id, signal);
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    private static void RecordPid(int pid)
    {
        var runDir = Environment.GetEnvironmentVariable("FIELDLAB_TEST_RUN_DIR");
        if (string.IsNullOrEmpty(runDir)) return;
        System.IO.Directory.CreateDirectory(runDir);
        File.AppendAllText(System.IO.Path.Combine(runDir, "pids"), pid + "\n");
    }

    /// <summary>Renders a deploy/local template with the given placeholder values.</summary>
    protected static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(RepositoryRoot.File("deploy", "local", template));
        foreach (var (key, value) in values) text = text.Replace($"@{key}@", value, StringComparison.Ordinal);
        if (text.Contains('@') && System.Text.RegularExpressions.Regex.IsMatch(text, "@[A-Z_]+@"))
            throw new InvalidOperationException($"Unrendered placeholder in {template}.");
        return text;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
