using Fieldlab.Cli.Access;

namespace Fieldlab.Cli.Backup;

/// <summary>The state a restore writes into, and why it may refuse: a service of <c>./fieldlab up</c> still running
/// (it would write beside the restore), or a state that already holds data (a restore never merges or overwrites;
/// move the old state aside instead — docs/backup.md).</summary>
internal sealed class RestoreTarget(StateLayout state, MetadataBackup metadata, string influxData, string database)
{
    // InfluxDB is the restore's target and runs during it (a temporary one, started by ./fieldlab restore); these write
    // the files a restore puts in place.
    private static readonly string[] Writers = ["mosquitto", "ingest", "api", "gateway"];

    /// <summary>Throws, naming each reason, unless the state can be restored into.</summary>
    public async Task EnsureRestorableAsync(BackupManifest backup, CancellationToken cancellationToken)
    {
        var running = RunningServices();
        if (running.Count > 0)
            throw new InvalidOperationException($"restore refused: {string.Join(", ", running)} of this Fieldlab {(running.Count == 1 ? "is" : "are")} running; stop it first (./fieldlab down)");
        var present = new List<string>();
        if (backup.Influxdb is not null && Directory.Exists(Path.Combine(influxData, database))) present.Add($"InfluxDB database {database} ({Path.Combine(influxData, database)})");
        if (await metadata.DescribeExistingAsync(cancellationToken) is { } store) present.Add(store);
        if (Directory.Exists(state.Datasets) && Directory.EnumerateFileSystemEntries(state.Datasets).Any()) present.Add(state.Datasets);
        if (BrokerBackup.DescribeExisting(Path.Combine(state.Root, "mosquitto")) is { } broker) present.Add(broker);
        // Without secrets in the backup the state's own (if any) are used: they are only in the way when they would be replaced.
        if (backup.Secrets && Directory.Exists(state.Secrets) && Directory.EnumerateFileSystemEntries(state.Secrets).Any()) present.Add(state.Secrets);
        if (present.Count > 0)
            throw new InvalidOperationException($"restore refused: the state {state.Root} is not empty ({string.Join("; ", present)}). " +
                "A restore goes into a fresh state: move this one aside (./fieldlab down; mv .fieldlab .fieldlab.before-restore) and run it again");
    }

    /// <summary>Services whose PID file (<c>{state}/pids/NAME</c>, written by <c>./fieldlab up</c>) names a live process of this state.</summary>
    public List<string> RunningServices()
    {
        var running = new List<string>();
        foreach (var name in Writers)
        {
            var file = Path.Combine(state.Root, "pids", name);
            if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), out int pid)) continue;
            // The PID may have been reused after a reboot: only a process whose command line names this state counts.
            var cmdline = $"/proc/{pid}/cmdline";
            try
            {
                if (File.Exists(cmdline) && File.ReadAllText(cmdline).Replace('\0', ' ').Contains(state.Root, StringComparison.Ordinal)) running.Add($"{name} (pid {pid})");
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
        }
        return running;
    }
}
