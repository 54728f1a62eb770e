using System.Globalization;

namespace Fieldlab.Cli.Backup;

/// <summary><c>backup DIR</c>: InfluxDB's portable snapshot, the metadata store's consistent copy, the dataset files
/// (checked against their manifests), the broker's persistence and access files and (unless left out) the secrets,
/// then <c>backup.json</c> with the hash of every file. Online: nothing is stopped.</summary>
/// <remarks>The parts are taken one after another, seconds apart, not at one instant: docs/backup.md, "Consistency".</remarks>
internal sealed class BackupRun(BackupRequest request, bool withSecrets, TimeProvider time)
{
    /// <summary>Makes the backup; returns its manifest. A failed backup leaves no directory behind.</summary>
    public async Task<BackupManifest> RunAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var directory = request.Directory;
        if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
            throw new UsageException($"{directory} exists and is not empty: a backup goes into a new (or empty) directory");
        foreach (var copied in new[] { request.State.Datasets, request.State.Secrets, Path.Combine(request.State.Root, "mosquitto") })
        {
            // A backup inside a folder it copies would copy itself.
            if ((directory + "/").StartsWith(copied + "/", StringComparison.Ordinal))
                throw new UsageException($"{directory} is inside {copied}, which the backup copies: put the backup elsewhere");
        }
        var metadata = MetadataBackup.ForState(request.State);
        var password = request.InfluxAdminPassword();
        var created = time.GetUtcNow().UtcDateTime;
        bool made = !Directory.Exists(directory);
        // The backup holds secrets (and personal data): private to its owner from the first file on.
        Fieldlab.Access.Secrets.SecretFiles.EnsurePrivateDirectory(directory);
        try
        {
            SortedDictionary<string, long> points;
            try
            {
                points = await InfluxPoints.CountAsync(request.InfluxAdmin(password), cancellationToken);
            }
            catch (Fieldlab.Telemetry.Influx.InfluxException e) when (e.StatusCode is 401 or 403)
            {
                throw new InvalidOperationException($"InfluxDB at {request.InfluxUrl} refused the admin of {request.State.InfluxPasswordFile("admin")} " +
                    $"({e.Message}): is this the state's InfluxDB, provisioned by ./fieldlab up?", e);
            }
            await new InfluxBackup(request.InfluxRpc, request.Database).BackUpAsync(Path.Combine(directory, BackupPaths.Influx), cancellationToken);
            log.WriteLine($"influxdb database={request.Database} points={points.Values.Sum()}");

            var rows = await metadata.BackUpAsync(Path.Combine(directory, BackupPaths.Metadata), cancellationToken);
            log.WriteLine($"metadata provider={metadata.Provider} file={BackupPaths.Metadata}/{metadata.FileName}");

            DatasetBackup.Copy(request.State.Datasets, Path.Combine(directory, BackupPaths.Datasets));
            var broker = BrokerBackup.Copy(Path.Combine(request.State.Root, "mosquitto"), Path.Combine(directory, BackupPaths.Broker));
            log.WriteLine($"broker persistence={(broker ? "mosquitto.db" : "none")}");
            if (withSecrets) BackupPaths.CopyTree(request.State.Secrets, Path.Combine(directory, BackupPaths.Secrets), SkipTemporary);

            var files = await BackupPaths.DescribeAllAsync(directory, cancellationToken);
            var datasets = await DatasetBackup.VerifyAsync(directory, BackupPaths.Datasets, files, cancellationToken);
            var manifest = new BackupManifest
            {
                Created = created,
                Fieldlab = FieldlabVersion.Current(),
                State = request.State.Root,
                Influxdb = new InfluxPart(request.Database, points),
                Metadata = new MetadataPart(metadata.Provider, $"{BackupPaths.Metadata}/{metadata.FileName}", rows),
                Datasets = datasets,
                BrokerPersistence = broker,
                Secrets = withSecrets,
                Files = files,
            };
            await manifest.WriteAsync(directory, cancellationToken);
            return manifest;
        }
        catch
        {
            if (made) TryDelete(directory);
            else foreach (var entry in Directory.EnumerateFileSystemEntries(directory)) TryDelete(entry);
            throw;
        }
    }

    // SecretFiles.WriteAtomically's half-written files (.tmp-PID) are not secrets yet.
    private static bool SkipTemporary(string relative) => relative.Contains(".tmp-", StringComparison.Ordinal);

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the directory has no backup.json, so it is never taken for a backup.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    /// <summary>The last line: <c>backup dir=DIR influx_points=N datasets=D files=F bytes=B</c>.</summary>
    public static string Summary(string directory, BackupManifest manifest) => string.Create(CultureInfo.InvariantCulture,
        $"backup dir={directory} influx_points={manifest.Influxdb?.TotalPoints ?? 0} datasets={manifest.Datasets.Count} files={manifest.Files.Count} bytes={manifest.Files.Sum(f => f.Bytes)}");
}
