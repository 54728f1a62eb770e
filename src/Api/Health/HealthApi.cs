using Fieldlab.Api.Access;
using Fieldlab.Api.Rigs;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Api.Health;

/// <summary>Liveness of the API's dependencies: broker and database reachability.</summary>
public static class HealthApi
{
    /// <summary>Maps <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync).WithTags("Health").WithName("Health").RequireRight("health", "read")
            .WithSummary("200 when broker, database and metadata store are reachable, the broker's access files are current and the audit retention and notification workers run; 503 otherwise.");
        return app;
    }

    /// <summary>GET /healthz</summary>
    public static async Task<IResult> CheckAsync(RigDirectoryListener listener, InfluxClient influx, Fieldlab.Access.Store.MetadataDb db,
        Fieldlab.Api.Broker.BrokerAccessSync access, Fieldlab.Api.Audit.AuditRetention audit, Fieldlab.Api.Notifications.NotificationDispatcher notifications, Fieldlab.Api.Sandboxes.SandboxReaper sandboxes,
        CancellationToken cancellationToken)
    {
        var mqtt = listener.Connection;
        bool mqttUp = mqtt?.State == MqttConnectionState.Connected;
        string? influxVersion = null;
        string? influxError = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            influxVersion = await influx.PingAsync(timeout.Token);
        }
        catch (Exception e) when (e is InfluxException or OperationCanceledException)
        {
            influxError = e.Message;
        }
        string? storeError = null;
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken)) storeError = "cannot connect";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            storeError = e.Message;
        }
        bool healthy = mqttUp && influxError is null && storeError is null && access.LastError is null && audit.LastError is null
            && notifications.LastError is null && sandboxes.LastError is null;
        return Results.Json(new
        {
            status = healthy ? "ok" : "degraded",
            mqtt = new { reachable = mqttUp, state = mqtt?.State.ToString() ?? "starting", last_error = mqttUp ? null : mqtt?.LastError },
            influxdb = new { reachable = influxError is null, version = influxVersion, error = influxError },
            metadata = new { reachable = storeError is null, error = storeError },
            broker_access = new { current = access.LastError is null, last_applied = access.LastApplied, error = access.LastError },
            audit_retention = new { ok = audit.LastError is null, error = audit.LastError },
            notifications = new { ok = notifications.LastError is null, error = notifications.LastError, failed_alerts = notifications.FailedAlerts },
            sandboxes = new { ok = sandboxes.LastError is null, error = sandboxes.LastError },
        }, statusCode: healthy ? 200 : 503);
    }
}
