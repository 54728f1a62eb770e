using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Telemetry.Influx;

/// <summary>The database and retention policies Fieldlab writes into: created by whoever holds admin rights (the
/// provisioning of <c>./fieldlab up</c>, or ingest itself on an InfluxDB without authentication).</summary>
public static class InfluxDatabaseSetup
{
    /// <summary>Retention policy of raw waveform frames.</summary>
    public static readonly string WaveformRetentionPolicy = FieldlabSchema.WaveformRaw.Name;

    /// <summary>Creates the client's database and the <see cref="WaveformRetentionPolicy"/> (or sets its duration); idempotent.
    /// Needs an admin (InfluxDB 1.x grants database and retention-policy statements to admins only).</summary>
    public static async Task EnsureAsync(InfluxClient admin, TimeSpan waveformRetention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        await admin.EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var database = InfluxIdentifier.Quote(admin.Options.Database);
        var policy = InfluxIdentifier.Quote(WaveformRetentionPolicy);
        // InfluxQL takes durations as literals; this one comes from a TimeSpan, never from text a user typed.
        var duration = $"{(long)waveformRetention.TotalMinutes}m";
        try
        {
            await admin.QueryAsync(new InfluxQuery($"CREATE RETENTION POLICY {policy} ON {database} DURATION {duration} REPLICATION 1"), cancellationToken).ConfigureAwait(false);
        }
        catch (InfluxException e) when (!e.IsTransient && e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            await admin.QueryAsync(new InfluxQuery($"ALTER RETENTION POLICY {policy} ON {database} DURATION {duration}"), cancellationToken).ConfigureAwait(false);
        }
    }
}
