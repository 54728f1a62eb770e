using Fieldlab.Ingest.ConditionMonitoring;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Ingest;

/// <summary>Wires the ingest service and its endpoints: <c>/healthz</c> and <c>/stats</c> (open), <c>/metrics</c>
/// (Prometheus text, loopback or the scrape credential: <see cref="ScrapeAccess"/>), <c>/quarantine</c>, <c>/models</c>
/// and <c>/stats/reset</c> (service key, <see cref="Access.ServiceKeys"/>).</summary>
public static class IngestHost
{
    private static readonly System.Text.Json.JsonSerializerOptions ModelJson = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Registers options (sections <c>Mqtt</c>, <c>Influx</c>, <c>Ingest</c>), clients and workers.</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTelemetryClients(builder.Configuration);
        services.AddValidatedOptions<IngestOptions>(builder.Configuration, "Ingest");
        services.AddValidatedOptions<ConditionMonitoringOptions>(builder.Configuration, "ConditionMonitoring");
        services.AddSingleton<ConditionMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ConditionMonitor>());
        services.AddPrometheusMetrics(builder.Configuration, IngestMeter.Name);
        services.AddSingleton<IngestMeter>();
        services.AddSingleton<IngestCounters>();
        services.AddSingleton<IngestGauges>();
        services.AddSingleton<IngestWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWorker>());
        services.AddHostedService<IngestStatsReporter>();
        services.AddSingleton<Confirmation.StoredWatermarks>();
        services.AddHostedService<Confirmation.WatermarkPublisher>();
        services.AddSingleton<Access.ServiceKeys>();
        return builder;
    }

    /// <summary>Maps the endpoints.</summary>
    public static WebApplication MapIngestEndpoints(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<Access.ServiceKeys>();
        app.Services.GetRequiredService<IngestGauges>(); // its instruments exist from the first scrape on
        app.MapPrometheusMetrics();
        // Health and the counters are open (no tenant data in them); everything that shows or changes messages or models
        // needs a service key.
        var operated = app.MapGroup("").AddEndpointFilter(keys.FilterAsync);
        app.MapGet("/healthz", (IngestWorker worker) =>
        {
            bool mqttUp = worker.Connection?.State == MqttConnectionState.Connected && worker.BacklogConnection?.State == MqttConnectionState.Connected;
            bool influxUp = worker.LastWriteError is null;
            var fault = worker.Writer?.Fault;
            var spoolError = worker.Writer?.SpoolError;
            bool ok = mqttUp && influxUp && fault is null && spoolError is null;
            var body = new
            {
                status = fault is not null ? "failed" : ok ? "ok" : "degraded",
                writer = new { failed = fault?.Message, spool_error = spoolError },
                acknowledges_after_storage = worker.AcknowledgesAfterStorage,
                mqtt = new
                {
                    state = worker.Paused ? "paused (spool full)" : worker.Connection?.State.ToString() ?? "starting",
                    backlog_state = worker.BacklogConnection?.State.ToString() ?? "starting",
                    last_error = worker.Connection?.LastError ?? worker.BacklogConnection?.LastError,
                },
                influxdb = new { ok = influxUp, last_error = worker.LastWriteError, spool_batches = worker.Writer?.Spool.Count ?? 0 },
            };
            return Results.Json(body, statusCode: ok ? 200 : 503);
        });
        // The JSON the console, the benchmarks and the tests read; its percentiles are of the window since /stats/reset.
        app.MapGet("/stats", (IngestWorker worker, IngestCounters counters) =>
        {
            var live = worker.Connection?.Statistics;
            var backlog = worker.BacklogConnection?.Statistics;
            return Results.Json(new
            {
                messages = counters.Messages,
                batches_accepted = counters.BatchesAccepted,
                rows_stored = counters.RowsStored,
                rows_rejected = counters.RowsRejected,
                messages_rejected = counters.MessagesRejected,
                points_written = counters.PointsWritten,
                writes = counters.Writes,
                write_failures = counters.WriteFailures,
                last_write_latency_ms = counters.LastWriteLatency.TotalMilliseconds,
                write_latency_p50_ms = counters.StatsWriteLatency.Percentile(0.50),
                write_latency_p99_ms = counters.StatsWriteLatency.Percentile(0.99),
                lag_p50_ms = counters.StatsLag.Percentile(0.50),
                lag_p99_ms = counters.StatsLag.Percentile(0.99),
                pending_points = worker.PendingPoints,
                parked_messages = worker.ParkedCount,
                spool_batches = worker.Writer?.Spool.Count ?? 0,
                spool_bytes = worker.Writer?.Spool.Bytes ?? 0,
                paused = worker.Paused,
                quarantined = worker.Quarantine?.Count ?? 0,
                quarantine_evicted = worker.Quarantine?.Evicted ?? 0,
                receive_backlog = (live?.ReceiveBacklog ?? 0) + (backlog?.ReceiveBacklog ?? 0),
                mqtt_connects = (live?.Connects ?? 0) + (backlog?.Connects ?? 0),
                mqtt_connection_losses = (live?.ConnectionLosses ?? 0) + (backlog?.ConnectionLosses ?? 0),
                deliveries_acknowledged = worker.Writer?.DeliveriesAcknowledged ?? 0,
                // For the benchmarks' allocations per message: every byte this process allocated since start.
                allocated_bytes = GC.GetTotalAllocatedBytes(),
                acknowledgements_pending = (live?.AcknowledgementsPending ?? 0) + (backlog?.AcknowledgementsPending ?? 0),
                batches_rejected = worker.Writer?.BatchesRejected ?? 0,
            });
        });
        operated.MapGet("/models", (ConditionMonitor monitor) => Results.Json(new
        {
            dropped_inputs = monitor.Dropped,
            alerts_published = monitor.AlertsPublished,
            models = monitor.Status(),
        }, ModelJson));
        operated.MapPost("/models/{site}/{rig}/baseline", (ConditionMonitor monitor, string site, string rig) =>
        {
            if (WireNames.ExplainInvalidSegment(site) is { } siteError) return Results.Problem($"site: {siteError}", statusCode: 400);
            if (WireNames.ExplainInvalidSegment(rig) is { } rigError) return Results.Problem($"rig: {rigError}", statusCode: 400);
            monitor.Rebaseline(new RigAddress(site, rig));
            return Results.Accepted(value: new { site, rig, detail = "Every model of this rig learns a new baseline from the data that follows." });
        });
        // Only the JSON view's latency windows start again: Prometheus' counters and histograms are never reset.
        operated.MapPost("/stats/reset", (IngestCounters counters) =>
        {
            counters.RestartStatsWindows();
            return Results.NoContent();
        });
        operated.MapGet("/quarantine", (IngestWorker worker, string? reason, string? site, string? rig, int? limit) =>
        {
            var store = worker.Quarantine;
            if (store is null) return Results.Problem("Ingest is starting.", statusCode: 503);
            return Results.Json(new
            {
                count = store.Count,
                bytes = store.Bytes,
                evicted = store.Evicted,
                messages = store.List(reason, site, rig, Math.Clamp(limit ?? 100, 1, 10_000)),
            });
        });
        operated.MapPost("/quarantine/replay", async (IngestWorker worker, string? reason, string? site, string? rig, string? id, CancellationToken cancellationToken) =>
        {
            if (id is not null && id.Any(c => c is not (>= '0' and <= '9' or '-'))) return Results.Problem($"'{id}' is not a quarantine id.", statusCode: 400);
            var result = await worker.ReplayQuarantineAsync(reason, site, rig, id, cancellationToken);
            return Results.Json(new { replayed = result.Replayed, accepted = result.Accepted, rejected_again = result.RejectedAgain });
        });
        return app;
    }
}
