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
        foreach (var policy in FieldlabSchema.RetentionPolicies.Where(p => !p.IsDefault))
        {
            var name = InfluxIdentifier.Quote(policy.Name);
            // InfluxQL takes durations as literals; these come from TimeSpans, never from text a user typed.
            var duration = retention.DurationOf(policy) is { } d ? $"{(long)d.TotalMinutes}m" : "INF";
            await CreateOrAlterAsync(admin, $"CREATE RETENTION POLICY {name} ON {database} DURATION {duration} REPLICATION 1",
                $"ALTER RETENTION POLICY {name} ON {database} DURATION {duration}", cancellationToken).ConfigureAwait(false);
        }
        foreach (var downsampling in FieldlabSchema.Downsamplings)
        {
            // The same text again is a no-op for InfluxDB; a changed one is refused, so the old query is replaced.
            await CreateOrAlterAsync(admin, downsampling.CreateStatement(admin.Options.Database),
                $"DROP CONTINUOUS QUERY {InfluxIdentifier.Quote(downsampling.Name)} ON {database}", cancellationToken, downsampling.CreateStatement(admin.Options.Database)).ConfigureAwait(false);
        }
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

    // Runs create; when InfluxDB says it already exists, runs alter and then the statements of thenRun.
    private static async Task CreateOrAlterAsync(InfluxClient admin, string create, string alter, CancellationToken cancellationToken, params string[] thenRun)
    {
        try
        {
            await admin.QueryAsync(new InfluxQuery(create), cancellationToken).ConfigureAwait(false);
        }
        catch (InfluxException e) when (!e.IsTransient && e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            await admin.QueryAsync(new InfluxQuery(alter), cancellationToken).ConfigureAwait(false);
            foreach (var statement in thenRun) await admin.QueryAsync(new InfluxQuery(statement), cancellationToken).ConfigureAwait(false);
        }
    }
}
