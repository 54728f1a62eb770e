using Fieldlab.Api.Datasets;
using Fieldlab.Api.Faults;
using Fieldlab.Api.Live;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Rigs;

/// <summary>The API's broker connection (its own principal, <c>svc.api-…</c>): keeps the <see cref="RigDirectory"/>
/// current from the retained birth and state messages, ingest's stored-through watermarks to the
/// <see cref="StoredThroughBook"/>, command replies to the <see cref="FaultCommander"/> and
/// alerts to the <see cref="AlertFeed"/>, and live samples, frames and alerts to the <see cref="LiveFeed"/>.</summary>
public sealed partial class RigDirectoryListener(IOptions<MqttConnectionOptions> options, RigDirectory directory, IServiceProvider services,
    ILogger<RigDirectoryListener> logger) : BackgroundService
{
    /// <summary>The broker connection, once started (for health and for publishing commands).</summary>
    public MqttConnection? Connection { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = MqttConnection.Start(options.Value, logger);
        Connection = connection;
        var commander = services.GetRequiredService<FaultCommander>();
        var alerts = services.GetRequiredService<AlertFeed>();
        var time = services.GetRequiredService<TimeProvider>();
        var live = services.GetRequiredService<LiveFeed>();
        var stored = services.GetRequiredService<StoredThroughBook>();
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.State), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Stored), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.CommandReply), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Alerts), MqttQos.AtLeastOnce, stoppingToken);
        // Live values for the console: a lost one is replaced by the next, so at most once.
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Samples), MqttQos.AtMostOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Waveform), MqttQos.AtMostOnce, stoppingToken);
        try
        {
            await foreach (var message in connection.Messages.ReadAllAsync(stoppingToken))
            {
                if (message.Topic.EndsWith("/cmd/reply", StringComparison.Ordinal)) commander.OnReply(message);
                else if (message.Topic.EndsWith("/stored", StringComparison.Ordinal)) { if (!stored.TryApply(message, out var storedError)) LogIgnored(message.Topic, storedError!); }
                else if (message.Topic.EndsWith("/alerts", StringComparison.Ordinal)) OnAlert(message, alerts, live, time);
                else if (message.Topic.EndsWith("/samples", StringComparison.Ordinal) || message.Topic.EndsWith("/waveform", StringComparison.Ordinal)) live.Take(message);
                else if (!directory.TryApply(message, out _, out var error)) LogIgnored(message.Topic, error!);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnAlert(MqttMessage message, AlertFeed alerts, LiveFeed live, TimeProvider time)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var error) || !WireJson.TryDecodeAlert(message.Payload, out var alert, out error))
        {
            LogIgnored(message.Topic, error ?? "not an alert");
            return;
        }
        var received = new ReceivedAlert(topic.Rig, alert!, time.GetUtcNow());
        alerts.Publish(received);
        live.Take(received);
    }

    [LoggerMessage(4001, LogLevel.Warning, "Ignored an invalid message on {Topic}: {Error}")]
    private partial void LogIgnored(string topic, string error);
}
