using System.Diagnostics;
using Npgsql;

namespace Fieldlab.LocalServers;

/// <summary>A real PostgreSQL server (Debian's <c>postgresql</c>) in a throwaway cluster on a free loopback port, with
/// password (SCRAM) authentication. <c>initdb</c> refuses to run as root, which CI is: as root the cluster belongs to
/// the <c>postgres</c> user, <c>initdb</c> runs through <c>runuser</c> and the server through <c>setpriv</c> (which execs,
/// so that the PID is the server's own).</summary>
public sealed class LocalPostgres : ServerProcess
{
    private readonly string _bin;
    private readonly string _data;
    private readonly bool _asPostgres;

    private LocalPostgres() : base("postgres")
    {
        Port = FreePort.Next();
        Password = Guid.NewGuid().ToString("N");
        _bin = FindBinaries();
        _data = Path.Combine(Directory, "data");
        _asPostgres = Environment.UserName == "root";
    }

    /// <summary>Port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The superuser.</summary>
    public string User => "fieldlab";

    /// <summary>The superuser's password.</summary>
    public string Password { get; }

    /// <inheritdoc />
    protected override int StopSignal => 2; // SIGINT: "fast" shutdown; SIGTERM would wait for pooled connections to close

    /// <inheritdoc />
    protected override string CommandLine =>
        (_asPostgres ? "setpriv --reuid=postgres --regid=postgres --init-groups " : "")
        + $"{Quote(Path.Combine(_bin, "postgres"))} -D {Quote(_data)} -p {Port} -k {Quote(Directory)} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off";

    /// <summary>Makes a cluster and starts its server.</summary>
    public static async Task<LocalPostgres> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new LocalPostgres();
        await server.InitAsync(cancellationToken);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>A connection string for <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = User, Password = Password, Database = database, Pooling = true }.ConnectionString;

    /// <summary>Creates an empty database.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(Directory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
        if (_asPostgres)
        {
            // The cluster, the socket directory and the password file must belong to postgres.
            await RunAsync("chown", ["-R", "postgres:postgres", Directory], cancellationToken);
        }
        string[] initdb = [Path.Combine(_bin, "initdb"), "-D", _data, "-U", User, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-sync"];
        if (_asPostgres) await RunAsync("runuser", ["-u", "postgres", "--", .. initdb], cancellationToken);
        else await RunAsync(initdb[0], initdb[1..], cancellationToken);
    }

    private async Task RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{await output}\n{await error}");
    }

    private static string FindBinaries()
    {
        // Debian installs the server under /usr/lib/postgresql/{major}/bin; take the newest.
        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql).");
    }

    private static string Quote(string word) => ServiceProcess.Quote(word);
}
