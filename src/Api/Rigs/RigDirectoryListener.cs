using Fieldlab.Api.Faults;
using Fieldlab.Api.Live;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Rigs;

/// <summary>The API's broker connection (its own principal, <c>svc.api-…</c>): keeps the <see cref="RigDirectory"/>
/// current from the retained birth and state messages, hands command replies to the <see cref="FaultCommander"/> and
/// alerts to the <see cref="AlertFeed"/>.</summary>
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
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.State), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.CommandReply), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Alerts), MqttQos.AtLeastOnce, stoppingToken);
        try
        {
            await foreach (var message in connection.Messages.ReadAllAsync(stoppingToken))
            {
                if (message.Topic.EndsWith("/cmd/reply", StringComparison.Ordinal)) commander.OnReply(message);
                else if (message.Topic.EndsWith("/alerts", StringComparison.Ordinal)) OnAlert(message, alerts, time);
                else if (!directory.TryApply(message, out _, out var error)) LogIgnored(message.Topic, error!);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnAlert(MqttMessage message, AlertFeed alerts, TimeProvider time)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var error) || !WireJson.TryDecodeAlert(message.Payload, out var alert, out error))
        {
            LogIgnored(message.Topic, error ?? "not an alert");
            return;
        }
        alerts.Publish(new ReceivedAlert(topic.Rig, alert!, time.GetUtcNow()));
    }

    [LoggerMessage(4001, LogLevel.Warning, "Ignored an invalid message on {Topic}: {Error}")]
    private partial void LogIgnored(string topic, string error);
}
