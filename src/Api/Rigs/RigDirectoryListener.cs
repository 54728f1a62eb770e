using Fieldlab.Api.Faults;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Rigs;

/// <summary>The API's broker connection (its own principal, <c>svc.api-…</c>): keeps the <see cref="RigDirectory"/>
/// current from the retained birth and state messages, and hands command replies to the <see cref="FaultCommander"/>.</summary>
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
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.State), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.CommandReply), MqttQos.AtLeastOnce, stoppingToken);
        try
        {
            await foreach (var message in connection.Messages.ReadAllAsync(stoppingToken))
            {
                if (message.Topic.EndsWith("/cmd/reply", StringComparison.Ordinal)) commander.OnReply(message);
                else if (!directory.TryApply(message, out _, out var error)) LogIgnored(message.Topic, error!);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(4001, LogLevel.Warning, "Ignored an invalid message on {Topic}: {Error}")]
    private partial void LogIgnored(string topic, string error);
}
