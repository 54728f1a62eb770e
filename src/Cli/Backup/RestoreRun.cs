using System.Globalization;
using Fieldlab.Access.Database;
using Fieldlab.Access.Secrets;

namespace Fieldlab.Cli.Backup;

/// <summary><c>restore DIR</c>: checks every file of the backup against <c>backup.json</c> and the target state
/// before anything changes, then restores InfluxDB (into a running, empty server), the secrets, InfluxDB's users, the
/// metadata store, the datasets and the broker's files, and counts the points brought back.</summary>
internal sealed class RestoreRun(BackupRequest request, string influxData)
{
    /// <summary>Restores (or, with <paramref name="checkOnly"/>, only checks the backup and the target); returns the last line.</summary>
    public async Task<string> RunAsync(bool checkOnly, TextWriter log, TextWriter warnings, CancellationToken cancellationToken)
    {
        var directory = request.Directory;
        var backup = await BackupManifest.ReadAsync(directory, cancellationToken);
        await VerifyFilesAsync(backup, cancellationToken);
        var datasets = await DatasetBackup.VerifyAsync(directory, BackupPaths.Datasets, backup.Files, cancellationToken);
        var metadata = MetadataBackup.ForState(request.State);
        if (metadata.Provider != backup.Metadata.Provider)
            throw new InvalidOperationException($"restore refused: the backup's metadata store is {backup.Metadata.Provider}, this state's is {metadata.Provider}");
        await new RestoreTarget(request.State, metadata, influxData, request.Database).EnsureRestorableAsync(backup, cancellationToken);
        if (checkOnly) return string.Create(CultureInfo.InvariantCulture, $"restore dir={directory} check=ok datasets={datasets.Count} files={backup.Files.Count}");

        // InfluxDB first: it is the one part that can still refuse (a database of that name on the server), and
        // then nothing else has changed.
        if (backup.Influxdb is not null)
        {
            await new InfluxBackup(request.InfluxRpc, request.Database).RestoreAsync(Path.Combine(directory, BackupPaths.Influx), backup.Influxdb.Database, cancellationToken);
            log.WriteLine($"influxdb database={request.Database} restored");
        }
        if (backup.Secrets)
        {
            BackupPaths.CopyListed(directory, BackupPaths.Secrets, backup.Files, request.State.Secrets);
            // Private whatever the backup's copy went through (a tar or a file share may have widened its folders).
            SecretFiles.EnsurePrivateDirectory(request.State.Secrets);
            foreach (var folder in Directory.EnumerateDirectories(request.State.Secrets, "*", SearchOption.AllDirectories)) SecretFiles.EnsurePrivateDirectory(folder);
        }
        var admin = request.InfluxAdmin(SecretFiles.ReadOrCreate(request.State.InfluxPasswordFile("admin"), 24));
        if (backup.Influxdb is not null)
        {
            // A portable restore brings no users: the admin and the service users are made from the (restored) secrets,
            // as `access influx` does — with the retention `./fieldlab up` sets.
            await InfluxProvisioning.ProvisionAsync(admin,
            [
                new InfluxProvisioning.ServiceUser("ingest", SecretFiles.ReadOrCreate(request.State.InfluxPasswordFile("ingest"), 24), "WRITE"),
                new InfluxProvisioning.ServiceUser("api", SecretFiles.ReadOrCreate(request.State.InfluxPasswordFile("api"), 24), "READ"),
            ], TimeSpan.FromHours(1), cancellationToken);
        }
        await metadata.RestoreAsync(Path.Combine(directory, BackupPaths.Metadata), cancellationToken);
        log.WriteLine($"metadata provider={metadata.Provider} restored");
        BackupPaths.CopyListed(directory, BackupPaths.Datasets, backup.Files, request.State.Datasets);
        BackupPaths.CopyListed(directory, BackupPaths.Broker, backup.Files, Path.Combine(request.State.Root, "mosquitto"));

        long points = 0;
        if (backup.Influxdb is not null)
        {
            var restored = await InfluxPoints.CountAsync(admin, cancellationToken);
            points = restored.Values.Sum();
            foreach (var (measurement, count) in backup.Influxdb.Points)
            {
                long now = restored.GetValueOrDefault(measurement);
                // Counted just before the snapshot: an online backup may hold more (written meanwhile), never less
                // unless retention dropped a shard in between.
                if (now < count) warnings.WriteLine($"warning: {measurement} has {now} points restored, backup.json counted {count}");
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"restore dir={directory} influx_points={points} datasets={datasets.Count} files={backup.Files.Count}");
    }

    private async Task VerifyFilesAsync(BackupManifest backup, CancellationToken cancellationToken)
    {
        foreach (var file in backup.Files)
        {
            var path = Path.Combine(request.Directory, file.Path);
            if (!File.Exists(path)) throw new InvalidOperationException($"backup file {file.Path} is missing; nothing was restored");
            var (sha, bytes) = await Fieldlab.Datasets.FileHash.ComputeAsync(path, cancellationToken);
            if (sha != file.Sha256 || bytes != file.Bytes)
                throw new InvalidOperationException($"backup file {file.Path} is corrupt: sha256 {sha} ({bytes} bytes), backup.json says {file.Sha256} ({file.Bytes} bytes); nothing was restored");
        }
        if (backup.Influxdb is not null && !backup.Files.Any(f => f.Path.StartsWith(BackupPaths.Influx + "/", StringComparison.Ordinal)))
            throw new InvalidOperationException("backup.json names an InfluxDB part but lists none of its files; nothing was restored");
        if (!backup.Files.Any(f => f.Path == backup.Metadata.File))
            throw new InvalidOperationException($"backup.json names the metadata copy {backup.Metadata.File} but does not list it; nothing was restored");
    }
}
