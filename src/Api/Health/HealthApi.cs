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
        app.MapGet("/healthz", CheckAsync).WithTags("Health").WithName("Health").WithSummary("200 when broker and database are reachable, 503 otherwise.");
        return app;
    }

    /// <summary>GET /healthz</summary>
    public static async Task<IResult> CheckAsync(RigDirectoryListener listener, InfluxClient influx, CancellationToken cancellationToken)
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
        bool healthy = mqttUp && influxError is null;
        return Results.Json(new
        {
            status = healthy ? "ok" : "degraded",
            mqtt = new { reachable = mqttUp, state = mqtt?.State.ToString() ?? "starting", last_error = mqttUp ? null : mqtt?.LastError },
            influxdb = new { reachable = influxError is null, version = influxVersion, error = influxError },
        }, statusCode: healthy ? 200 : 503);
    }
}
