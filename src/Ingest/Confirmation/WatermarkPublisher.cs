using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Confirmation;

/// <summary>Publishes each rig's stored-through watermark, retained, on <c>fieldlab/{site}/{rig}/stored</c> at most once
/// per <see cref="Interval"/> and only when it moved. The watermarks only ever hold ranges InfluxDB accepted, so what
/// goes out is never ahead of storage. A watermark that cannot be published now goes out with the next move.</summary>
public sealed partial class WatermarkPublisher(IngestWorker worker, StoredWatermarks watermarks, TimeProvider time, ILogger<WatermarkPublisher> logger) : BackgroundService
{
    /// <summary>Period of publication (the rate limit per rig).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await PublishMovedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PublishMovedAsync(CancellationToken cancellationToken)
    {
        if (worker.Connection is not { State: MqttConnectionState.Connected } connection) return;
        var at = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(time.GetUtcNow()));
        foreach (var (rig, streams) in watermarks.TakeMoved())
        {
            var payload = WireJson.Encode(new StoredThrough { T = at, Streams = streams });
            // A notice: a failed delivery is logged and counted by the connection; the next move publishes it again.
            if (!connection.TryPublish(FieldlabTopic.For(rig, TopicChannel.Stored), payload, MqttQos.AtLeastOnce, retain: true))
                LogNotPublished(rig.ToString(), "the connection's publish queue is full or closed");
        }
    }

    [LoggerMessage(2501, LogLevel.Warning, "Stored-through watermark of {Rig} not published: {Reason}")]
    private partial void LogNotPublished(string rig, string reason);
}
