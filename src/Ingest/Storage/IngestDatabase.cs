using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Ingest.Storage;

/// <summary>Creates the database, retention policies and continuous queries when ingest holds admin rights (an InfluxDB
/// without authentication, or tests); otherwise provisioning is the operator's (<c>./fieldlab up</c>) and ingest holds a
/// write-only user. Waits, with backoff, for an InfluxDB that is not up yet.</summary>
public sealed partial class IngestDatabase(InfluxClient influx, IngestOptions options, TimeProvider time, ILogger logger)
{
    private readonly ILogger _logger = logger;

    /// <summary>Ensures the schema; returns once it is in place or <paramref name="cancellationToken"/> fires.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await InfluxDatabaseSetup.EnsureAsync(influx, options.Retention, cancellationToken);
                return;
            }
            catch (InfluxException e)
            {
                LogDatabaseUnavailable(e.Message);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(2005, LogLevel.Warning, "InfluxDB not ready: {Reason}")]
    private partial void LogDatabaseUnavailable(string reason);
}
