using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Fieldlab.Access.Secrets;
using Fieldlab.Telemetry.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Access.Broker;

/// <summary>Writes the broker's access files when the plan changed, makes the broker read them (SIGHUP to its
/// <c>pid_file</c>, or the configured command) and waits until it has: a probe user whose password is new in every
/// render must be able to connect. The API and the CLI both use it; a lock file keeps two writers apart.</summary>
public sealed partial class BrokerReloader(BrokerAccessOptions options, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Renders <paramref name="principals"/>; writes and reloads only if they differ from what the files hold.</summary>
    public async Task<BrokerReloadOutcome> ApplyAsync(IReadOnlyList<BrokerPrincipal> principals, CancellationToken cancellationToken)
    {
        var hash = BrokerAccessFiles.PlanHash(principals);
        SecretFiles.EnsurePrivateDirectory(options.Directory);
        using var gate = await LockAsync(cancellationToken).ConfigureAwait(false);
        if (BrokerAccessFiles.RecordedPlanHash(options.AclFilePath) == hash) return BrokerReloadOutcome.Unchanged;

        var probe = new BrokerPrincipal(PrincipalNames.ReloadProbe, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), []);
        var (passwd, acl) = BrokerAccessFiles.Render([.. principals, probe], hash);
        SecretFiles.WriteAtomically(options.PasswordFilePath, passwd);
        SecretFiles.WriteAtomically(options.AclFilePath, acl);
        if (!await SignalAsync(cancellationToken).ConfigureAwait(false))
        {
            LogWritten(principals.Count);
            return BrokerReloadOutcome.Written;
        }
        await ProbeAsync(probe, cancellationToken).ConfigureAwait(false);
        LogReloaded(principals.Count);
        return BrokerReloadOutcome.Reloaded;
    }

    private async Task<bool> SignalAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.ReloadCommand))
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", options.ReloadCommand }, UseShellExecute = false })
                ?? throw new InvalidOperationException($"could not run '{options.ReloadCommand}'");
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0) throw new InvalidOperationException($"'{options.ReloadCommand}' failed with exit code {process.ExitCode}.");
            return true;
        }
        if (string.IsNullOrWhiteSpace(options.PidFile) || !File.Exists(options.PidFile)) return false; // not running: it reads the files when it starts
        if (!int.TryParse((await File.ReadAllTextAsync(options.PidFile, cancellationToken).ConfigureAwait(false)).Trim(), out int pid)) return false;
        // SIGHUP (1): Mosquitto re-reads password_file and acl_file and re-checks every connected client against them.
        return Kill(pid, 1) == 0;
    }

    private async Task ProbeAsync(BrokerPrincipal probe, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.ReloadTimeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var connection = await MqttConnection.ConnectAsync(new MqttConnectionOptions
                {
                    Host = options.Host,
                    Port = options.Port,
                    ClientId = probe.Username,
                    Username = probe.Username,
                    Password = probe.Password,
                    ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
                    ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
                    DisposeFlushTimeout = TimeSpan.Zero,
                }, null, attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is MqttException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e.Message;
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new TimeoutException($"The broker did not take the new access files within {options.ReloadTimeout} ({last}).");
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.Directory, ".lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Linux: one writer across processes.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LoggerMessage(4101, LogLevel.Information, "Broker access files written ({Count} principals); the broker reads them when it starts.")]
    private partial void LogWritten(int count);

    [LoggerMessage(4102, LogLevel.Information, "Broker reloaded its access files ({Count} principals).")]
    private partial void LogReloaded(int count);
}

/// <summary>What <see cref="BrokerReloader.ApplyAsync"/> did.</summary>
public enum BrokerReloadOutcome
{
    /// <summary>The files already held this plan.</summary>
    Unchanged,

    /// <summary>Written; the broker is not running (it reads them when it starts).</summary>
    Written,

    /// <summary>Written, and the running broker accepted them.</summary>
    Reloaded,
}
