using System.Diagnostics;

namespace Fieldlab.Cli.Backup;

/// <summary>InfluxDB's own portable backup and restore (<c>influxd backup|restore -portable</c>) through its RPC port.
/// Both run against a live server: the backup is a snapshot of the shards as they are when it runs (no stop needed);
/// the restore creates the database anew, so the target must not have it.</summary>
/// <remarks>The RPC port has no authentication in InfluxDB 1.x; it is bound to 127.0.0.1 (deploy/local/influxdb.conf.template).
/// Portable restore brings the database, its retention policies and shards, not InfluxDB's users: <see cref="RestoreRun"/>
/// makes those from the secrets afterwards.</remarks>
internal sealed class InfluxBackup(string rpcAddress, string database)
{
    /// <summary>Writes the database's portable backup into <paramref name="directory"/> (which must not exist yet).</summary>
    public Task BackUpAsync(string directory, CancellationToken cancellationToken) =>
        RunAsync(["backup", "-portable", "-host", rpcAddress, "-database", database, directory], cancellationToken);

    /// <summary>Restores the database <paramref name="backedUp"/> of the portable backup in <paramref name="directory"/>
    /// as this database; fails if it exists.</summary>
    public Task RestoreAsync(string directory, string backedUp, CancellationToken cancellationToken) =>
        RunAsync(["restore", "-portable", "-host", rpcAddress, "-db", backedUp, "-newdb", database, directory], cancellationToken);

    private static async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("influxd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("influxd did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("influxd is not installed (apt-get install influxdb; ./fieldlab up installs it)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }
            var text = (await output + await error).Trim();
            // influxd restore reports "database may already exist" on stderr; a non-zero exit is the signal either way.
            if (process.ExitCode != 0 || text.Contains("database may already exist", StringComparison.Ordinal))
                throw new InvalidOperationException($"influxd {arguments[0]} failed (exit {process.ExitCode}): {LastLines(text)}");
        }
    }

    private static string LastLines(string text) => string.Join(" | ", text.Split('\n').TakeLast(4).Select(l => l.Trim()));
}
