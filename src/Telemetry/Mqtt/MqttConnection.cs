using System.Threading.Channels;
using Fieldlab.Telemetry.Mqtt.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>One MQTT client connection — the seam every Fieldlab service talks MQTT through: publish with PUBACK
/// completion inside a bounded in-flight window, subscriptions delivered to a channel, reconnect with re-subscription,
/// and (MQTTnet only) acknowledgement of received QoS 1 messages when the application says so.</summary>
/// <remarks>
/// Two implementations stand behind it, chosen by <see cref="MqttConnectionOptions.Library"/>; docs/reliability.md
/// says which promises each keeps. Publishes go on the wire in the order <see cref="PublishAsync"/> was called.
/// </remarks>
public abstract partial class MqttConnection : IAsyncDisposable
{
    private long _publishFailures;

    /// <summary>For implementations: the options (validated) and the logger.</summary>
    private protected MqttConnection(MqttConnectionOptions options, ILogger? logger)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The options this connection was started with.</summary>
    private protected readonly MqttConnectionOptions _options;

    /// <summary>Where the connection logs.</summary>
    private protected readonly ILogger _logger;

    /// <summary>Creates the connection and starts connecting in the background; it keeps reconnecting until disposed.
    /// Use this where the broker may be away at start (a gateway must keep collecting).</summary>
    public static MqttConnection Start(MqttConnectionOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException("Invalid MQTT options: " + string.Join(" ", problems), nameof(options));
        return options.Library switch
        {
            MqttClientLibrary.Libmosquitto => MosquittoConnection.Start(options, logger),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Library, "Unknown MQTT client library."),
        };
    }

    /// <summary>Creates the connection and waits for the first CONNACK. A refusal by the broker (bad credentials, not
    /// authorised) throws at once; an unreachable broker is retried until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<MqttConnection> ConnectAsync(MqttConnectionOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        var connection = Start(options, logger);
        try
        {
            await connection.WaitFirstConnackAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Messages from every subscription, in the order the broker delivered them.</summary>
    public abstract ChannelReader<MqttMessage> Messages { get; }

    /// <summary>Current state.</summary>
    public abstract MqttConnectionState State { get; }

    /// <summary>The client id this connection uses.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The last connection problem seen (refusal, network error), or null.</summary>
    public abstract string? LastError { get; }

    /// <summary>Counters for health reporting.</summary>
    public abstract MqttConnectionStatistics Statistics { get; }

    /// <summary>Most publishes in flight at once (<see cref="MqttConnectionOptions.MaxInflight"/>): a caller that streams
    /// keeps at most this many outstanding.</summary>
    public int PublishWindow => _options.MaxInflight;

    /// <summary>Publishes handed over with <see cref="TryPublish"/> that failed (logged each time).</summary>
    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    /// <summary>Completes when the connection is (again) up.</summary>
    public abstract Task WaitConnectedAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the connection has been established more than <paramref name="seenConnects"/> times
    /// (see <see cref="MqttConnectionStatistics.Connects"/>) and returns the new count: lets a caller act once per
    /// (re)connect, e.g. re-announce retained state that the broker replaced with a last will.</summary>
    public abstract Task<long> WaitForConnectAsync(long seenConnects, CancellationToken cancellationToken);

    /// <summary>Publishes and completes when the broker has acknowledged it (QoS 1: PUBACK) or the packet was written
    /// (QoS 0). Fails with <see cref="MqttException"/> if the broker rejects it (MQTT 5 reason code ≥ 0x80) or the
    /// connection is disposed first. Publishes go on the wire in call order; beyond the in-flight window
    /// (<see cref="MqttConnectionOptions.MaxInflight"/>) they wait in that order, so a caller that streams bounds its
    /// own outstanding tasks (awaiting the oldest). A QoS 1 message handed over is resent across reconnects until
    /// acknowledged: do not publish it again yourself. Cancelling stops the wait; a message already on the wire may
    /// still arrive.</summary>
    public abstract Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken);

    /// <summary>Hands a notice over without waiting (alerts' echoes, health, dead-letter notices): returns false, and
    /// hands nothing over, when the connection is closed or more than <see cref="MqttConnection_options.MaxQueuedNotices"/>
    /// publishes already wait for the window. A failed delivery is logged and counted in <see cref="PublishFailures"/>,
    /// never lost silently.</summary>
    public bool TryPublish(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain)
    {
        if (State == MqttConnectionState.Closed || Statistics.PublishesWaiting >= _options.MaxQueuedNotices) return false;
        Task delivered;
        try
        {
            delivered = PublishAsync(topic, payload, qos, retain, CancellationToken.None);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            NoteFailedNotice(topic, e);
            return false;
        }
        if (delivered.IsCompletedSuccessfully) return true;
        delivered.ContinueWith(static (t, state) =>
        {
            var (connection, topic) = ((MqttConnection, string))state!;
            connection.NoteFailedNotice(topic, t.Exception!.GetBaseException());
        }, (this, topic), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>Acknowledges a received QoS 1 message when <see cref="MqttConnectionOptions.ManualAcknowledgement"/> is
    /// on: the PUBACK goes out once this and every message received before it on the same connection are acknowledged
    /// (MQTT 5.0 §4.6: PUBACKs in the order the PUBLISHes arrived). A message from an earlier connection is not
    /// acknowledged on the new one: the broker sends it again, and storing it again is idempotent. Safe to call twice,
    /// from any thread, and for a message with nothing to acknowledge (QoS 0, or automatic acknowledgement).</summary>
    public abstract void Acknowledge(in MqttMessage message);

    /// <summary>Subscribes (recorded, and renewed after every reconnect that lost the session) and completes on SUBACK;
    /// fails with <see cref="MqttException"/> when the broker refuses it. Shared subscriptions
    /// (<c>$share/group/filter</c>) split messages between the group's members.</summary>
    public abstract Task SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken);

    /// <summary>Removes a subscription; it is not renewed after reconnects any more.</summary>
    public abstract Task UnsubscribeAsync(string filter, CancellationToken cancellationToken);

    /// <summary>Waits (bounded) for unacknowledged QoS 1 publishes, disconnects, fails what is left, and frees
    /// everything. Must not be called from a message callback.</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>For <see cref="ConnectAsync"/>: completes on the first accepted CONNACK, fails on a refusal.</summary>
    private protected abstract Task WaitFirstConnackAsync(CancellationToken cancellationToken);

    private void NoteFailedNotice(string topic, Exception error)
    {
        Interlocked.Increment(ref _publishFailures);
        LogNoticeFailed(ClientId, topic, error.Message);
    }

    [LoggerMessage(5010, LogLevel.Warning, "MQTT client {ClientId}: a notice to {Topic} was not delivered: {Reason}")]
    private partial void LogNoticeFailed(string clientId, string topic, string reason);
}
