using System.Text.Json;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Access.Database;

/// <summary>Sets up InfluxDB 1.x with authentication on: the admin (created on the first start, when InfluxDB allows
/// exactly one unauthenticated statement, <c>CREATE USER … WITH ALL PRIVILEGES</c>), the database and its retention
/// policies, a write-only user for ingest and a read-only user for the API. Idempotent: running it again sets the
/// passwords to the ones given (that is how they are rotated) and the grants to exactly these.</summary>
/// <remarks>InfluxDB 1.x grants READ/WRITE per database only — no per-measurement or per-tag rights — so tenancy cannot
/// live in the database; it lives in the API. No end user ever receives database credentials.</remarks>
public static class InfluxProvisioning
{
    /// <summary>A database user and what it may do on the Fieldlab database.</summary>
    public sealed record ServiceUser(string Name, string Password, string Privilege);

    /// <summary>Provisions everything with the default retention but <paramref name="waveformRetention"/> for raw waveforms.</summary>
    public static Task ProvisionAsync(InfluxOptions admin, IReadOnlyList<ServiceUser> users, TimeSpan waveformRetention, CancellationToken cancellationToken) =>
        ProvisionAsync(admin, users, new RetentionSettings { Waveform = waveformRetention }, cancellationToken);

    /// <summary>Provisions everything (retention policies and continuous queries: <see cref="InfluxDatabaseSetup"/>);
    /// <paramref name="admin"/> carries the admin's user name and password.</summary>
    public static async Task ProvisionAsync(InfluxOptions admin, IReadOnlyList<ServiceUser> users, RetentionSettings retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (admin.Username is null || admin.Password is null) throw new ArgumentException("The admin's user name and password are required.", nameof(admin));
        // Checked before anything changes, so that a bad entry leaves InfluxDB as it was.
        if (users.FirstOrDefault(u => u.Privilege is not ("READ" or "WRITE" or "ALL")) is { } bad) throw new ArgumentException($"'{bad.Privilege}' is not READ, WRITE or ALL.", nameof(users));
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.Validate().FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(retention));
        using var client = new InfluxClient(admin);
        await EnsureAdminAsync(admin, client, cancellationToken).ConfigureAwait(false);
        await InfluxDatabaseSetup.EnsureAsync(client, retention, cancellationToken).ConfigureAwait(false);
        var existing = await UserNamesAsync(client, cancellationToken).ConfigureAwait(false);
        var database = InfluxIdentifier.Quote(admin.Database);
        foreach (var user in users)
        {
            var name = InfluxIdentifier.Quote(user.Name);
            var password = StringLiteral(user.Password);
            if (existing.Contains(user.Name))
                await client.QueryAsync(new InfluxQuery($"SET PASSWORD FOR {name} = {password}"), cancellationToken, database: "").ConfigureAwait(false);
            else
                await client.QueryAsync(new InfluxQuery($"CREATE USER {name} WITH PASSWORD {password}"), cancellationToken, database: "").ConfigureAwait(false);
            await client.QueryAsync(new InfluxQuery($"REVOKE ALL ON {database} FROM {name}"), cancellationToken, database: "").ConfigureAwait(false);
            await client.QueryAsync(new InfluxQuery($"GRANT {user.Privilege} ON {database} TO {name}"), cancellationToken, database: "").ConfigureAwait(false);
        }
    }

    private static async Task EnsureAdminAsync(InfluxOptions admin, InfluxClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.QueryAsync(new InfluxQuery("SHOW USERS"), cancellationToken, database: "").ConfigureAwait(false);
            return; // the admin exists and the password is right
        }
        catch (InfluxException e) when (e.StatusCode is 401 or 403)
        {
            // No user yet (first start), or a wrong password: only the first case lets the unauthenticated CREATE through.
        }
        using var anonymous = new InfluxClient(new InfluxOptions { Url = admin.Url, Database = admin.Database, MaxRetries = 0 });
        try
        {
            await anonymous.QueryAsync(new InfluxQuery($"CREATE USER {InfluxIdentifier.Quote(admin.Username!)} WITH PASSWORD {StringLiteral(admin.Password!)} WITH ALL PRIVILEGES"),
                cancellationToken, database: "").ConfigureAwait(false);
        }
        catch (InfluxException e) when (e.StatusCode is 401 or 403)
        {
            throw new InvalidOperationException($"InfluxDB at {admin.Url} already has an admin, and '{admin.Username}' with the given password is not it. " +
                "Use the admin password from the secrets directory, or reset InfluxDB's users (influxd's meta directory).", e);
        }
    }

    private static async Task<HashSet<string>> UserNamesAsync(InfluxClient client, CancellationToken cancellationToken)
    {
        var result = await client.QueryAsync(new InfluxQuery("SHOW USERS"), cancellationToken, database: "").ConfigureAwait(false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (result.Single is { } series)
        {
            int column = series.ColumnIndex("user");
            foreach (var row in series.Rows) if (row[column].ValueKind == JsonValueKind.String) names.Add(row[column].GetString()!);
        }
        return names;
    }

    // InfluxQL string literal: single quotes, with backslash and quote escaped. Passwords are generated (base64url),
    // but an operator may bring their own.
    private static string StringLiteral(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
