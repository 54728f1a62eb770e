using System.Diagnostics;
using Npgsql;

namespace Fieldlab.Cli.Backup;

/// <summary>PostgreSQL's client tools (<c>pg_dump</c>, <c>pg_restore</c>) run with the metadata store's connection:
/// its parts go in <c>PG*</c> environment variables, so the password never appears on a command line.</summary>
internal static class PgTools
{
    /// <summary>Runs <paramref name="tool"/> against the database of <paramref name="connectionString"/>; throws with its output when it fails.</summary>
    public static async Task RunAsync(string tool, string connectionString, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["PGHOST"] = connection.Host ?? "127.0.0.1";
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (connection.Database is { } database) start.Environment["PGDATABASE"] = database;
        if (connection.Username is { } user) start.Environment["PGUSER"] = user;
        if (connection.Password is { } password) start.Environment["PGPASSWORD"] = password;
        // pg_restore needs the database named on its command line, pg_dump takes PGDATABASE.
        if (tool == "pg_restore") start.ArgumentList.Add("--dbname=" + (connection.Database ?? "postgres"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output + await error).Trim();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed (exit {process.ExitCode}): {text}");
    }

    /// <summary>Tables in the connection's current schema.</summary>
    public static async Task<int> CountTablesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
