using Fieldlab.Ingest.Monitoring;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Ingest;

/// <summary>Wires the ingest service and its health/metrics endpoints.</summary>
public static class IngestHost
{
    /// <summary>Registers options (sections <c>Mqtt</c>, <c>Influx</c>, <c>Ingest</c>), clients and the worker.</summary>
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTelemetryClients(builder.Configuration);
        services.AddValidatedOptions<IngestOptions>(builder.Configuration, "Ingest");
        services.AddSingleton<IngestCounters>();
        services.AddSingleton<IngestWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWorker>());
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> and <c>/metrics</c>.</summary>
    public static WebApplication MapIngestEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", (IngestWorker worker) =>
        {
            var mqtt = worker.Connection;
            bool mqttUp = mqtt?.State == MqttConnectionState.Connected && worker.BacklogConnection?.State == MqttConnectionState.Connected;
            bool influxUp = worker.LastWriteError is null;
            var body = new
            {
                status = mqttUp && influxUp ? "ok" : "degraded",
                mqtt = new
                {
                    state = mqtt?.State.ToString() ?? "starting",
                    backlog_state = worker.BacklogConnection?.State.ToString() ?? "starting",
                    last_error = mqtt?.LastError ?? worker.BacklogConnection?.LastError,
                },
                influxdb = new { ok = influxUp, last_error = worker.LastWriteError },
            };
            return Results.Json(body, statusCode: mqttUp && influxUp ? 200 : 503);
        });
        app.MapGet("/metrics", (IngestWorker worker, IngestCounters counters) =>
        {
            var stats = worker.Connection?.Statistics;
            return Results.Json(new
            {
                messages = counters.Messages,
                batches_accepted = counters.BatchesAccepted,
                rows_stored = counters.RowsStored,
                rows_rejected = counters.RowsRejected,
                messages_rejected = counters.MessagesRejected,
                writes = counters.Writes,
                write_failures = counters.WriteFailures,
                last_write_latency_ms = counters.LastWriteLatency.TotalMilliseconds,
                pending_points = worker.PendingPoints,
                parked_messages = worker.ParkedCount,
                receive_backlog = (stats?.ReceiveBacklog ?? 0) + (worker.BacklogConnection?.Statistics.ReceiveBacklog ?? 0),
                mqtt_connects = stats?.Connects ?? 0,
                mqtt_connection_losses = stats?.ConnectionLosses ?? 0,
            });
        });
        return app;
    }
}
