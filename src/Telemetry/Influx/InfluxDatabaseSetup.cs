using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Influx;

/// <summary>The database, retention policies and continuous queries Fieldlab writes into (<see cref="FieldlabSchema"/>):
/// created by whoever holds admin rights (the provisioning of <c>./fieldlab up</c>, or ingest itself on an InfluxDB
/// without authentication).</summary>
public static class InfluxDatabaseSetup
{
    /// <summary>Retention policy of raw waveform frames.</summary>
    public static readonly string WaveformRetentionPolicy = FieldlabSchema.WaveformRaw.Name;

    /// <summary>Like <see cref="EnsureAsync(InfluxClient, RetentionSettings, CancellationToken)"/> with the default
    /// durations but <paramref name="waveformRetention"/> for raw waveforms.</summary>
    public static Task EnsureAsync(InfluxClient admin, TimeSpan waveformRetention, CancellationToken cancellationToken) =>
        EnsureAsync(admin, new RetentionSettings { Waveform = waveformRetention }, cancellationToken);

    /// <summary>Creates the client's database, every retention policy of the schema (or sets its duration) and every
    /// continuous query (or replaces it when its text changed); idempotent. Needs an admin (InfluxDB 1.x grants
    /// database, retention-policy and continuous-query statements to admins only).</summary>
    public static async Task EnsureAsync(InfluxClient admin, RetentionSettings retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.Validate().FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(retention));
        await admin.EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var database = InfluxIdentifier.Quote(admin.Options.Database);
        // What exists is read, not guessed from error texts: a policy is created when missing and altered when its
        // duration differs.
        var policies = await ExistingPoliciesAsync(admin, database, cancellationToken).ConfigureAwait(false);
        foreach (var policy in FieldlabSchema.RetentionPolicies.Where(p => !p.IsDefault))
        {
            var name = InfluxIdentifier.Quote(policy.Name);
            // InfluxQL takes durations as literals; these come from TimeSpans, never from text a user typed.
            var wanted = retention.DurationOf(policy);
            var duration = wanted is { } d ? $"{(long)d.TotalMinutes}m" : "INF";
            if (!policies.TryGetValue(policy.Name, out var existing))
                await RunAsync(admin, $"CREATE RETENTION POLICY {name} ON {database} DURATION {duration} REPLICATION 1", cancellationToken).ConfigureAwait(false);
            else if (existing != (wanted ?? TimeSpan.Zero))
                await RunAsync(admin, $"ALTER RETENTION POLICY {name} ON {database} DURATION {duration}", cancellationToken).ConfigureAwait(false);
        }
        var queries = await ExistingContinuousQueriesAsync(admin, cancellationToken).ConfigureAwait(false);
        foreach (var downsampling in FieldlabSchema.Downsamplings)
        {
            var create = downsampling.CreateStatement(admin.Options.Database);
            if (!queries.Contains(downsampling.Name))
            {
                await RunAsync(admin, create, cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                // InfluxDB normalises the stored text, so it is not compared here: the same query again is a no-op
                // for InfluxDB, a changed one is refused — and then replaced.
                await RunAsync(admin, create, cancellationToken).ConfigureAwait(false);
            }
            catch (InfluxException e) when (!e.IsTransient)
            {
                await RunAsync(admin, $"DROP CONTINUOUS QUERY {InfluxIdentifier.Quote(downsampling.Name)} ON {database}", cancellationToken).ConfigureAwait(false);
                await RunAsync(admin, create, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Task RunAsync(InfluxClient admin, string statement, CancellationToken cancellationToken) =>
        admin.QueryAsync(new InfluxQuery(statement), cancellationToken);

    // name → duration (0 for infinite), from SHOW RETENTION POLICIES.
    private static async Task<Dictionary<string, TimeSpan>> ExistingPoliciesAsync(InfluxClient admin, string database, CancellationToken cancellationToken)
    {
        var result = await admin.QueryAsync(new InfluxQuery($"SHOW RETENTION POLICIES ON {database}"), cancellationToken).ConfigureAwait(false);
        var policies = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (result.Single is not { } series) return policies;
        int name = series.Columns.ToList().IndexOf("name"), duration = series.Columns.ToList().IndexOf("duration");
        foreach (var row in series.Rows) policies[row[name].GetString()!] = GoDuration.Parse(row[duration].GetString()!);
        return policies;
    }

    // Names of the continuous queries on the client's database.
    private static async Task<HashSet<string>> ExistingContinuousQueriesAsync(InfluxClient admin, CancellationToken cancellationToken)
    {
        var result = await admin.QueryAsync(new InfluxQuery("SHOW CONTINUOUS QUERIES"), cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in result.Series.Where(s => s.Name == admin.Options.Database))
        {
            int name = series.Columns.ToList().IndexOf("name");
            foreach (var row in series.Rows) names.Add(row[name].GetString()!);
        }
        return names;
    }

    /// <summary>Runs every continuous query's own SELECT … INTO over [<paramref name="from"/>, <paramref name="to"/>), a day
    /// at a time: the aggregates of samples written before the continuous queries existed (an upgrade) or that arrived
    /// later than their RESAMPLE window (a long backlog). Idempotent (a bucket is rewritten with the same values, plus
    /// the late points). Needs the database's write right and read right (the admin).</summary>
    public static async Task BackfillAsync(InfluxClient admin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        foreach (var downsampling in FieldlabSchema.Downsamplings)
        {
            for (var start = downsampling.Floor(from); start < to; start += TimeSpan.FromDays(1))
            {
                var end = start + TimeSpan.FromDays(1) < to ? start + TimeSpan.FromDays(1) : to;
                await admin.QueryAsync(new InfluxQuery(downsampling.Backfill(start, end)), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
