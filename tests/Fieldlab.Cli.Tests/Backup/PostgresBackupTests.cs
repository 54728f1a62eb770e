using System.Globalization;
using System.Text;
using Fieldlab.Access.Secrets;
using Fieldlab.Cli.Access;
using Fieldlab.Cli.Tests.Access;
using Fieldlab.Cli.Tests.Eval;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing;
using Npgsql;

namespace Fieldlab.Cli.Tests.Backup;

/// <summary>The PostgreSQL store is chosen by environment variables (as for the access commands): never in parallel with anything.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresBackupCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cli-backup-postgres";
}

/// <summary><c>backup</c> and <c>restore</c> of a Fieldlab whose metadata store is a real PostgreSQL: <c>pg_dump</c>'s
/// copy restored with <c>pg_restore</c> into an empty database gives back every row; a database with tables is refused.</summary>
[Collection(PostgresBackupCollection.Name)]
public sealed class PostgresBackupTests
{
    [Fact]
    public async Task BackupAndRestore_PostgresStore_BringsBackEveryRowAndRefusesADatabaseWithTables()
    {
        await using var postgres = await LocalPostgres.StartNewAsync();
        await postgres.CreateDatabaseAsync("source");
        await postgres.CreateDatabaseAsync("target");
        using var state = new TempDirectory("fieldlab-backup-pg-source");
        using var restored = new TempDirectory("fieldlab-backup-pg-target");
        using var backups = new TempDirectory("fieldlab-backups");
        var backup = backups.File("b");
        var previous = (Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER"), Environment.GetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION"));
        Environment.SetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER", "postgres");
        try
        {
            Environment.SetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION", postgres.ConnectionString("source"));
            var provision = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", state.Path, "--mqtt-port", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            Assert.True(provision.Code == 0, provision.Error);
            var admin = SecretFiles.Read(new StateLayout(state.Path).InfluxPasswordFile("admin"));
            await using var source = await LocalInfluxDb.StartNewAsync(admin);
            using (var client = new InfluxClient(source.ClientOptions("fieldlab")))
            {
                await InfluxDatabaseSetup.EnsureAsync(client, TimeSpan.FromHours(1), CancellationToken.None);
                await client.WriteAsync(Encoding.UTF8.GetBytes("samples,rig=pump-1 v=1 1795000000000000000\nsamples,rig=pump-1 v=2 1795000001000000000\n"), CancellationToken.None);
            }

            var made = await ProvisionedStateFixture.RunAsync("backup", backup, "--state", state.Path, "--influx-url", source.Url, "--influx-rpc", source.RpcAddress);
            Assert.True(made.Code == 0, made.Error);
            Assert.True(File.Exists(Path.Combine(backup, "metadata", "metadata.pgdump")));

            Environment.SetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION", postgres.ConnectionString("target"));
            await using var target = await LocalInfluxDb.StartNewAsync(admin);
            var run = await ProvisionedStateFixture.RunAsync("restore", backup, "--state", restored.Path, "--influx-url", target.Url, "--influx-rpc", target.RpcAddress,
                "--influx-data", Path.Combine(target.Directory, "data"));
            Assert.True(run.Code == 0, $"{run.Error}\n{string.Join('\n', run.Output)}");
            Assert.Equal(2, ScriptedOutput.LastLine(run.Output, "restore").Number("influx_points"));
            var original = await DumpAsync(postgres.ConnectionString("source"));
            Assert.Contains(original, l => l.StartsWith("AspNetUsers: ", StringComparison.Ordinal) && !l.EndsWith(": 0 rows", StringComparison.Ordinal));
            Assert.Equal(original, await DumpAsync(postgres.ConnectionString("target")));

            using var again = new TempDirectory("fieldlab-backup-pg-again");
            var refused = await ProvisionedStateFixture.RunAsync("restore", backup, "--state", again.Path, "--check");
            Assert.Equal(CliRoot.Failure, refused.Code);
            Assert.Contains("the PostgreSQL metadata store has", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER", previous.Item1);
            Environment.SetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION", previous.Item2);
            NpgsqlConnection.ClearAllPools();
        }
    }

    // Every row of every table of the public schema, as text, in a stable order.
    private static async Task<List<string>> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var dump = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(table + ": " + string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i), CultureInfo.InvariantCulture))));
            rows.Sort(StringComparer.Ordinal);
            dump.Add($"{table}: {rows.Count} rows");
            dump.AddRange(rows);
        }
        return dump;
    }
}
