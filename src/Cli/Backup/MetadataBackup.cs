using Fieldlab.Access.Store;
using Fieldlab.Cli.Access;
using Microsoft.Data.Sqlite;

namespace Fieldlab.Cli.Backup;

/// <summary>The metadata store's backup: for SQLite an online, consistent copy (<c>VACUUM INTO</c>: one read
/// transaction, so the copy is the database at one moment even while the API writes — a plain file copy of a live
/// database can tear); for PostgreSQL <c>pg_dump</c>'s custom format, restored with <c>pg_restore</c>.</summary>
internal sealed class MetadataBackup(MetadataStoreOptions store)
{
    /// <summary>The copy's name inside <see cref="BackupPaths.Metadata"/>.</summary>
    public string FileName => store.IsPostgres ? "metadata.pgdump" : "metadata.db";

    /// <summary>The store as the access commands find it: SQLite under the state directory, or the store of
    /// <c>FIELDLAB_METADATA_PROVIDER</c> / <c>FIELDLAB_METADATA_CONNECTION</c> / <c>FIELDLAB_METADATA_PASSWORD_FILE</c>
    /// (the same variables <see cref="AccessContext"/> reads).</summary>
    public static MetadataBackup ForState(StateLayout layout)
    {
        var store = new MetadataStoreOptions
        {
            Provider = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER") ?? "sqlite",
            ConnectionString = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION")
                ?? new SqliteConnectionStringBuilder { DataSource = layout.MetadataDatabase }.ToString(),
            PasswordFile = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PASSWORD_FILE"),
        };
        var problems = store.Validate().ToList();
        if (problems.Count > 0) throw new UsageException("metadata store: " + string.Join(" ", problems));
        return new MetadataBackup(store);
    }

    /// <summary>The provider (<c>sqlite</c>, <c>postgres</c>).</summary>
    public string Provider => store.Provider;

    /// <summary>Copies the store to <paramref name="directory"/>/<see cref="FileName"/>; returns rows per table (SQLite) or null.</summary>
    public async Task<IReadOnlyDictionary<string, long>?> BackUpAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, FileName);
        if (store.IsPostgres)
        {
            await PgTools.RunAsync("pg_dump", store.EffectiveConnectionString(), ["--format=custom", "--no-owner", "--file=" + target], cancellationToken);
            return null;
        }
        var source = SqliteFile();
        if (!File.Exists(source)) throw new UsageException($"there is no metadata store at {source} (./fieldlab up creates it)");
        await using (var connection = await OpenAsync(source, SqliteOpenMode.ReadWrite, cancellationToken))
        {
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $target";
            vacuum.Parameters.AddWithValue("$target", target);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
        return await SqliteRowsAsync(target, cancellationToken);
    }

    /// <summary>What the target store holds already (a reason to refuse a restore), or null when it is empty.</summary>
    public async Task<string?> DescribeExistingAsync(CancellationToken cancellationToken)
    {
        if (store.IsPostgres)
        {
            int tables = await PgTools.CountTablesAsync(store.EffectiveConnectionString(), cancellationToken);
            return tables > 0 ? $"the PostgreSQL metadata store has {tables} tables" : null;
        }
        var file = SqliteFile();
        var present = new[] { file, file + "-wal", file + "-shm", file + "-journal" }.Where(File.Exists).ToList();
        return present.Count > 0 ? string.Join(", ", present) : null;
    }

    /// <summary>Puts the copy in <paramref name="directory"/> in place of the (empty) store.</summary>
    public async Task RestoreAsync(string directory, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(directory, FileName);
        if (store.IsPostgres)
        {
            await PgTools.RunAsync("pg_restore", store.EffectiveConnectionString(), ["--exit-on-error", "--no-owner", copy], cancellationToken);
            return;
        }
        var target = SqliteFile();
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".restore-tmp";
        File.Copy(copy, temp, overwrite: true);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, target, overwrite: false);
    }

    /// <summary>Rows per table of a SQLite database file (tables in name order).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> SqliteRowsAsync(string file, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(file, SqliteOpenMode.ReadOnly, cancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        }
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            // A table name from sqlite_master, quoted as an identifier (it cannot be bound).
            count.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            rows[table] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return rows;
    }

    private string SqliteFile() => Path.GetFullPath(new SqliteConnectionStringBuilder(store.ConnectionString).DataSource);

    // No pooling: a pooled connection would keep the file open after the backup (and a copy's file after the count).
    private static async Task<SqliteConnection> OpenAsync(string file, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
