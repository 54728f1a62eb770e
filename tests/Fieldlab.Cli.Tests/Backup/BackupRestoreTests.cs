using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fieldlab.Access.Secrets;
using Fieldlab.Cli.Backup;
using Fieldlab.Cli.Tests.Access;
using Fieldlab.Cli.Tests.Eval;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing;
using Microsoft.Data.Sqlite;

namespace Fieldlab.Cli.Tests.Backup;

/// <summary><c>backup</c> then <c>restore</c> with real servers: a fresh InfluxDB and an empty state get back every
/// point, metadata row, dataset file and broker file; a corrupted backup, a state that is not empty and a running
/// service are refused before anything changes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests(BackupSourceFixture source) : IClassFixture<BackupSourceFixture>
{
    [Fact]
    public void Backup_LastLine_CountsThePointsDatasetsAndFilesItSaved()
    {
        var last = ScriptedOutput.LastLine(source.BackupOutput, "backup");
        var manifest = Manifest(source.BackupDirectory);
        var files = Directory.EnumerateFiles(source.BackupDirectory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != BackupManifest.FileName).ToList();

        Assert.Equal(source.BackupDirectory, last.Single(kv => kv.Key == "dir").Value);
        Assert.Equal(source.Written.Values.Sum(), last.Number("influx_points"));
        Assert.Equal(1, last.Number("datasets"));
        Assert.Equal(files.Count, last.Number("files"));
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), last.Number("bytes"));
        Assert.Equal(source.Written.OrderBy(kv => kv.Key, StringComparer.Ordinal), manifest.RootElement.GetProperty("influxdb").GetProperty("points").EnumerateObject()
            .Select(p => new KeyValuePair<string, long>(p.Name, p.Value.GetInt64())).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.True(manifest.RootElement.GetProperty("broker_persistence").GetBoolean());
        Assert.True(manifest.RootElement.GetProperty("secrets").GetBoolean());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(source.BackupDirectory));
    }

    [Fact]
    public async Task Restore_IntoFreshStateAndInfluxDb_BringsBackPointsMetadataDatasetsAndBrokerFiles()
    {
        using var target = new TempDirectory("fieldlab-restore-target");
        await using var influx = await LocalInfluxDb.StartNewAsync(SecretFiles.Read(source.Layout.InfluxPasswordFile("admin")));

        var (code, output, error) = await RestoreAsync(source.BackupDirectory, target.Path, influx);

        Assert.True(code == 0, $"restore exited {code}: {error}\n{string.Join('\n', output)}");
        var last = ScriptedOutput.LastLine(output, "restore");
        Assert.Equal(source.Written.Values.Sum(), last.Number("influx_points"));
        Assert.Equal(1, last.Number("datasets"));
        Assert.Equal(Manifest(source.BackupDirectory).RootElement.GetProperty("files").GetArrayLength(), last.Number("files"));

        // Counted as the API's database user, whose password came back with the secrets: the users were made too.
        var api = influx.UserOptions("fieldlab", "api", SecretFiles.Read(Path.Combine(target.Path, "secrets", "influx-api.password")));
        using (var client = new InfluxClient(api))
        {
            foreach (var (key, points) in source.Written)
            {
                var (policy, measurement) = (key[..key.IndexOf('.')], key[(key.IndexOf('.') + 1)..]);
                var result = await client.QueryAsync(new InfluxQuery($"SELECT count({InfluxIdentifier.Quote(BackupSourceFixture.CountedField)}) FROM {InfluxIdentifier.Quote(policy)}.{InfluxIdentifier.Quote(measurement)}"), CancellationToken.None);
                Assert.Equal(points, result.Single!.Rows[0][1].GetInt64());
            }
        }
        Assert.Equal(await DumpAsync(source.Layout.MetadataDatabase), await DumpAsync(Path.Combine(target.Path, "metadata.db")));
        foreach (var folder in new[] { "datasets", "mosquitto", "secrets" })
            Assert.Equal(Hashes(Path.Combine(source.State.Path, folder), folder == "mosquitto" ? "access|mosquitto.db" : null), Hashes(Path.Combine(target.Path, folder), null));
        var samples = Path.Combine(target.Path, "datasets", BackupSourceFixture.DatasetId, "v1", "samples.csv");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(samples));
    }

    [Fact]
    public async Task Restore_CorruptedBackupFile_IsRefusedNamingTheFileAndRestoresNothing()
    {
        using var copy = new TempDirectory("fieldlab-backup-corrupt");
        CopyTree(source.BackupDirectory, copy.Path);
        var shard = Directory.EnumerateFiles(Path.Combine(copy.Path, "influxdb"), "*.tar.gz").Order(StringComparer.Ordinal).First();
        var bytes = await File.ReadAllBytesAsync(shard);
        bytes[bytes.Length / 2] ^= 0x20;
        await File.WriteAllBytesAsync(shard, bytes);
        using var target = new TempDirectory("fieldlab-restore-target");
        await using var influx = await LocalInfluxDb.StartNewAsync(SecretFiles.Read(source.Layout.InfluxPasswordFile("admin")));

        var (code, output, error) = await RestoreAsync(copy.Path, target.Path, influx);

        Assert.Equal(CliRoot.Failure, code);
        Assert.Contains($"backup file influxdb/{Path.GetFileName(shard)} is corrupt", error, StringComparison.Ordinal);
        Assert.Contains("nothing was restored", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target.Path));
        Assert.DoesNotContain("fieldlab", await DatabasesAsync(influx));
        Assert.DoesNotContain(output, l => l.StartsWith("restore ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackupWithoutSecrets_HoldsNoSecretFile_AndRestoresWithTheTargetsOwnSecrets()
    {
        using var backups = new TempDirectory("fieldlab-backups");
        var directory = backups.File("b");
        var made = await ProvisionedStateFixture.RunAsync("backup", directory, "--state", source.State.Path, "--influx-url", source.Influx.Url,
            "--influx-rpc", source.Influx.RpcAddress, "--without-secrets");
        Assert.True(made.Code == 0, made.Error);
        Assert.False(Directory.Exists(Path.Combine(directory, "secrets")));
        Assert.False(Manifest(directory).RootElement.GetProperty("secrets").GetBoolean());
        var mqttKey = await File.ReadAllTextAsync(source.Layout.MqttKey);
        Assert.DoesNotContain(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(mqttKey.Trim(), StringComparison.Ordinal));

        // The target brings its own InfluxDB admin password (as a new ./fieldlab up would generate one).
        using var target = new TempDirectory("fieldlab-restore-target");
        var admin = Path.Combine(target.Path, "secrets", "influx-admin.password");
        SecretFiles.EnsurePrivateDirectory(Path.GetDirectoryName(admin)!);
        SecretFiles.WriteAtomically(admin, "a-new-admin-password\n");
        await using var influx = await LocalInfluxDb.StartNewAsync("a-new-admin-password");

        var (code, output, error) = await RestoreAsync(directory, target.Path, influx);

        Assert.True(code == 0, $"restore exited {code}: {error}\n{string.Join('\n', output)}");
        Assert.Equal(source.Written.Values.Sum(), ScriptedOutput.LastLine(output, "restore").Number("influx_points"));
        Assert.NotEqual(SecretFiles.Read(source.Layout.InfluxPasswordFile("api")), SecretFiles.Read(Path.Combine(target.Path, "secrets", "influx-api.password")));
        Assert.Equal(await DumpAsync(source.Layout.MetadataDatabase), await DumpAsync(Path.Combine(target.Path, "metadata.db")));
    }

    [Fact]
    public async Task Restore_FileAddedToTheBackupSince_IsNotRestored()
    {
        using var copy = new TempDirectory("fieldlab-backup-planted");
        CopyTree(source.BackupDirectory, copy.Path);
        await File.WriteAllTextAsync(Path.Combine(copy.Path, "datasets", "planted.csv"), "a,b\n");
        await File.WriteAllTextAsync(Path.Combine(copy.Path, "secrets", "planted.key"), "not ours\n");
        using var target = new TempDirectory("fieldlab-restore-target");
        await using var influx = await LocalInfluxDb.StartNewAsync(SecretFiles.Read(source.Layout.InfluxPasswordFile("admin")));

        var (code, output, error) = await RestoreAsync(copy.Path, target.Path, influx);

        Assert.True(code == 0, $"restore exited {code}: {error}\n{string.Join('\n', output)}");
        Assert.True(File.Exists(Path.Combine(target.Path, "secrets", "mqtt.key")));
        Assert.False(File.Exists(Path.Combine(target.Path, "datasets", "planted.csv")));
        Assert.False(File.Exists(Path.Combine(target.Path, "secrets", "planted.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(target.Path, "secrets")));
    }

    [Fact]
    public async Task Restore_IntoStateThatHoldsAStore_IsRefusedAndLeavesItAsItWas()
    {
        using var target = new TempDirectory("fieldlab-restore-target");
        var provision = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", target.Path, "--mqtt-port", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        Assert.True(provision.Code == 0, provision.Error);
        var before = Hashes(target.Path, null);
        await using var influx = await LocalInfluxDb.StartNewAsync(SecretFiles.Read(source.Layout.InfluxPasswordFile("admin")));

        var (code, _, error) = await RestoreAsync(source.BackupDirectory, target.Path, influx);

        Assert.Equal(CliRoot.Failure, code);
        Assert.Contains("restore refused: the state", error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(target.Path, "metadata.db"), error, StringComparison.Ordinal);
        Assert.Equal(before, Hashes(target.Path, null));
        Assert.DoesNotContain("fieldlab", await DatabasesAsync(influx));
    }

    [Fact]
    public async Task Restore_WhileAServiceOfTheStateRuns_IsRefusedNamingIt()
    {
        using var target = new TempDirectory("fieldlab-restore-target");
        // A live process whose command line names the state, as ./fieldlab up's services do, under the api's PID file.
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "sleep 60", target.Path } })!;
        try
        {
            Directory.CreateDirectory(Path.Combine(target.Path, "pids"));
            await File.WriteAllTextAsync(Path.Combine(target.Path, "pids", "api"), process.Id.ToString(CultureInfo.InvariantCulture) + "\n");

            var (code, _, error) = await ProvisionedStateFixture.RunAsync("restore", source.BackupDirectory, "--state", target.Path, "--check");

            Assert.Equal(CliRoot.Failure, code);
            Assert.Contains($"api (pid {process.Id})", error, StringComparison.Ordinal);
            Assert.Equal(["pids"], Directory.EnumerateFileSystemEntries(target.Path).Select(Path.GetFileName));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Backup_DatasetFileChangedSinceFreezing_IsRefusedNamingItAndLeavesNoBackup()
    {
        using var state = new TempDirectory("fieldlab-backup-tampered");
        CopyTree(source.State.Path, state.Path);
        var samples = Path.Combine(state.Path, "datasets", BackupSourceFixture.DatasetId, "v1", "samples.csv");
        File.SetUnixFileMode(samples, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.AppendAllTextAsync(samples, "2026-11-17T09:00:00Z,pump-1,process,1,2\n");
        using var backups = new TempDirectory("fieldlab-backups");
        var directory = backups.File("b");

        var (code, _, error) = await ProvisionedStateFixture.RunAsync("backup", directory, "--state", state.Path,
            "--influx-url", source.Influx.Url, "--influx-rpc", source.Influx.RpcAddress);

        Assert.Equal(CliRoot.Failure, code);
        Assert.Contains($"dataset {BackupSourceFixture.DatasetId}/v1: samples.csv has sha256", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
    }

    private static Task<(int Code, string[] Output, string Error)> RestoreAsync(string backup, string state, LocalInfluxDb influx) =>
        ProvisionedStateFixture.RunAsync("restore", backup, "--state", state, "--influx-url", influx.Url, "--influx-rpc", influx.RpcAddress,
            "--influx-data", Path.Combine(influx.Directory, "data"));

    private static JsonDocument Manifest(string directory) => JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, BackupManifest.FileName)));

    private static async Task<List<string>> DatabasesAsync(LocalInfluxDb influx)
    {
        using var client = new InfluxClient(influx.ClientOptions());
        var result = await client.QueryAsync(new InfluxQuery("SHOW DATABASES"), CancellationToken.None, database: "");
        return result.Single is { } series ? [.. series.Rows.Select(r => r[0].GetString()!)] : [];
    }

    // Relative path → sha256 of every file under a folder (optionally only those whose first segment matches).
    private static SortedDictionary<string, string> Hashes(string folder, string? only)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder)) return hashes;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file);
            if (only is not null && !only.Split('|').Contains(relative.Split('/')[0])) continue;
            hashes[relative] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
        }
        return hashes;
    }

    // Every row of every table, as text, in a stable order: equal dumps are equal stores.
    private static async Task<List<string>> DumpAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var dump = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(table + ": " + string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i), CultureInfo.InvariantCulture))));
            rows.Sort(StringComparer.Ordinal);
            dump.Add($"{table}: {rows.Count} rows");
            dump.AddRange(rows);
        }
        Assert.Contains(dump, l => l.StartsWith("AspNetUsers: ", StringComparison.Ordinal) && !l.EndsWith(": 0 rows", StringComparison.Ordinal));
        return dump;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
