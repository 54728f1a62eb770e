using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest.Monitoring;

/// <summary>Writes ingest's own figures to the <c>ingest_stats</c> measurement every <c>Ingest:StatsInterval</c>, so the
/// platform dashboard shows the pipeline beside the rigs: rates, latency, write latency, batch size, rejects, spool,
/// quarantine, backlog. Percentiles are of the interval (its own <see cref="LatencyWindow"/>s; the histograms, which
/// Prometheus and <c>/stats</c> read too, are never reset). A report that cannot be written is skipped; the next one follows.</summary>
public sealed partial class IngestStatsReporter(IngestWorker worker, IngestCounters counters, InfluxClient influx,
    IOptions<IngestOptions> options, IOptions<Fieldlab.Telemetry.Mqtt.MqttConnectionOptions> mqtt, TimeProvider time, ILogger<IngestStatsReporter> logger) : BackgroundService
{
    private static readonly LineProtocolName Measurement = FieldlabSchema.IngestStats.LineName;
    private static readonly LineProtocolName IngestKey = FieldlabSchema.IngestStats.FieldKey(FieldlabSchema.Tags.Ingest);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var instance = LineProtocolName.TagValue(mqtt.Value.ClientId);
        var interval = options.Value.StatsInterval;
        var points = new LineProtocolWriter(1024);
        var lag = new LatencyWindow(counters.Lag);
        var writeLatency = new LatencyWindow(counters.WriteLatency);
        lag.Restart();
        writeLatency.Restart();
        long lastMessages = counters.Messages, lastRows = counters.RowsStored, lastRejected = counters.RowsRejected, lastWrites = counters.Writes, lastPoints = counters.PointsWritten;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            double seconds = interval.TotalSeconds;
            long messages = counters.Messages, rows = counters.RowsStored, rejected = counters.RowsRejected, writes = counters.Writes, written = counters.PointsWritten;
            points.Clear();
            points.BeginPoint(Measurement).Tag(IngestKey, instance)
                .Field(FieldlabSchema.IngestStats.FieldKey("batch_points_avg"), writes > lastWrites ? (double)(written - lastPoints) / (writes - lastWrites) : 0)
                .Field(FieldlabSchema.IngestStats.FieldKey("lag_p50_ms"), lag.Percentile(0.50))
                .Field(FieldlabSchema.IngestStats.FieldKey("lag_p99_ms"), lag.Percentile(0.99))
                .Field(FieldlabSchema.IngestStats.FieldKey("messages_per_s"), (messages - lastMessages) / seconds)
                .Field(FieldlabSchema.IngestStats.FieldKey("parked"), (long)worker.ParkedCount)
                .Field(FieldlabSchema.IngestStats.FieldKey("paused"), worker.Paused)
                .Field(FieldlabSchema.IngestStats.FieldKey("quarantined"), (long)(worker.Quarantine?.Count ?? 0))
                .Field(FieldlabSchema.IngestStats.FieldKey("receive_backlog"), (long)((worker.Connection?.Statistics.ReceiveBacklog ?? 0) + (worker.BacklogConnection?.Statistics.ReceiveBacklog ?? 0)))
                .Field(FieldlabSchema.IngestStats.FieldKey("rejected_rows_per_s"), (rejected - lastRejected) / seconds)
                .Field(FieldlabSchema.IngestStats.FieldKey("rows_per_s"), (rows - lastRows) / seconds)
                .Field(FieldlabSchema.IngestStats.FieldKey("spool_batches"), (long)(worker.Writer?.Spool.Count ?? 0))
                .Field(FieldlabSchema.IngestStats.FieldKey("spool_bytes"), worker.Writer?.Spool.Bytes ?? 0)
                .Field(FieldlabSchema.IngestStats.FieldKey("write_failures"), counters.WriteFailures)
                .Field(FieldlabSchema.IngestStats.FieldKey("write_latency_p50_ms"), writeLatency.Percentile(0.50))
                .Field(FieldlabSchema.IngestStats.FieldKey("write_latency_p99_ms"), writeLatency.Percentile(0.99))
                .EndPoint(UtcTimestamp.ToNanoseconds(time.GetUtcNow()));
            (lastMessages, lastRows, lastRejected, lastWrites, lastPoints) = (messages, rows, rejected, writes, written);
            lag.Restart();
            writeLatency.Restart();
            try
            {
                await influx.WriteAsync(points.WrittenMemory, stoppingToken);
            }
            catch (InfluxException e)
            {
                LogSkipped(e.Message);
            }
        }
    }

    [LoggerMessage(2401, LogLevel.Debug, "ingest_stats not written: {Reason}")]
    private partial void LogSkipped(string reason);
}
