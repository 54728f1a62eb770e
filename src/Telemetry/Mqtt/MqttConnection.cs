using System.Runtime.InteropServices;
using System.Threading.Channels;
using Fieldlab.Telemetry.Mqtt.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>One MQTT client connection on libmosquitto: publish with PUBACK completion, subscriptions delivered to a
/// channel, automatic reconnect with re-subscription. The only place in Fieldlab that touches the native library.</summary>
/// <remarks>
/// The connection runs its own managed network thread around <c>mosquitto_loop</c> instead of
/// <c>mosquitto_loop_start</c>: reconnects are ours (no silent end of the library's thread after a fatal error,
/// libmosquitto-notes pitfall 8), and stopping never needs <c>pthread_cancel</c> (pitfall 13).
/// All callbacks run on that thread; they never block and never let an exception escape (pitfalls 1 and 7).
/// </remarks>
public sealed partial class MqttConnection : IAsyncDisposable
{
    static MqttConnection()
    {
        // mosquitto_lib_init is not thread-safe: once per process, here (pitfall 15); never cleaned up.
        Mosquitto.LibInit();
    }

    [ThreadStatic] private static bool t_onNetworkThread;

    private readonly MqttConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly MosquittoClientHandle _client;
    private GCHandle _self;
    private readonly Thread _networkThread;
    private readonly TaskCompletionSource _networkThreadEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _stopSignal = new(false);
    private volatile bool _stopping;
    private int _disposed;

    private readonly object _publishLock = new();
    private readonly Dictionary<int, PendingPublish> _pendingPublishes = [];
    private readonly SemaphoreSlim _credits;

    private readonly object _subscriptionLock = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Subscription> _pendingSubscribes = [];

    private readonly Channel<MqttMessage> _messages = Channel.CreateUnbounded<MqttMessage>(
        new UnboundedChannelOptions { SingleWriter = true, AllowSynchronousContinuations = false });

    private readonly object _stateLock = new();
    private volatile MqttConnectionState _state = MqttConnectionState.Connecting;
    private TaskCompletionSource _connected = NewSignal();
    private TaskCompletionSource _nextConnect = NewSignal();
    private readonly TaskCompletionSource _firstConnack = NewSignal();
    private long _connects;
    private long _connectionLosses;
    private long _messagesReceived;
    private long _receivedBytes;
    private readonly MessageReader _reader;
    private TimeSpan _backoff;
    private volatile string? _lastError;

    private MqttConnection(MqttConnectionOptions options, ILogger? logger)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _credits = new SemaphoreSlim(options.MaxInflight); // no maximum: disposal adds one credit to wake waiters
        _reader = new MessageReader(_messages.Reader, bytes => Interlocked.Add(ref _receivedBytes, -bytes));
        _backoff = options.ReconnectDelayMin;
        _self = GCHandle.Alloc(this);
        _client = Mosquitto.New(options.ClientId, options.CleanSession, GCHandle.ToIntPtr(_self));
        if (_client.IsInvalid)
        {
            _self.Free();
            throw new MqttException($"mosquitto_new failed for client id '{options.ClientId}'.", 0, isTransient: false);
        }
        try
        {
            Configure();
        }
        catch
        {
            _client.Dispose();
            _self.Free();
            throw;
        }
        _networkThread = new Thread(RunNetworkLoop) { IsBackground = true, Name = $"mqtt:{options.ClientId}" };
    }

    /// <summary>Creates the connection and starts connecting in the background; it keeps reconnecting until disposed.
    /// Use this where the broker may be away at start (a gateway must keep collecting).</summary>
    public static MqttConnection Start(MqttConnectionOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException("Invalid MQTT options: " + string.Join(" ", problems), nameof(options));
        var connection = new MqttConnection(options, logger);
        connection._networkThread.Start();
        return connection;
    }

    /// <summary>Creates the connection and waits for the first CONNACK. A refusal by the broker (bad credentials, not
    /// authorised) throws at once; an unreachable broker is retried until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<MqttConnection> ConnectAsync(MqttConnectionOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        var connection = Start(options, logger);
        try
        {
            await connection._firstConnack.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Messages from every subscription, in the order the broker delivered them.</summary>
    public ChannelReader<MqttMessage> Messages => _reader;

    /// <summary>Current state.</summary>
    public MqttConnectionState State => _state;

    /// <summary>The client id this connection uses.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>The last connection problem seen (refusal, network error), or null.</summary>
    public string? LastError => _lastError;

    /// <summary>Counters for health reporting.</summary>
    public MqttConnectionStatistics Statistics
    {
        get
        {
            int inFlight;
            lock (_publishLock) inFlight = _pendingPublishes.Count;
            return new MqttConnectionStatistics(
                Interlocked.Read(ref _connects),
                Interlocked.Read(ref _connectionLosses),
                Interlocked.Read(ref _messagesReceived),
                _messages.Reader.Count,
                inFlight);
        }
    }

    /// <summary>Completes when the connection is (again) up.</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Task signal;
        lock (_stateLock) signal = _connected.Task;
        return signal.WaitAsync(cancellationToken);
    }

    /// <summary>Waits until the connection has been established more than <paramref name="seenConnects"/> times
    /// (see <see cref="MqttConnectionStatistics.Connects"/>) and returns the new count: lets a caller act once per
    /// (re)connect, e.g. re-announce retained state that the broker replaced with a last will.</summary>
    public async Task<long> WaitForConnectAsync(long seenConnects, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            Task signal;
            lock (_stateLock)
            {
                long connects = Interlocked.Read(ref _connects);
                if (connects > seenConnects) return connects;
                signal = _nextConnect.Task;
            }
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes and completes when the broker has acknowledged it (QoS 1: PUBACK) or the packet was written
    /// (QoS 0). Fails with <see cref="MqttException"/> if the broker rejects it (MQTT 5 reason code ≥ 0x80).</summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        var delivered = await EnqueuePublishAsync(topic, payload, qos, retain, cancellationToken).ConfigureAwait(false);
        await delivered.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the message to the library once the in-flight window has room, and returns the task that completes
    /// on delivery. A QoS 1 message accepted here is resent by the library across reconnects until acknowledged; do not
    /// publish it again yourself (pitfall 2). Waiting for window room is the backpressure.</summary>
    public async ValueTask<Task> EnqueuePublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        await _credits.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_disposed != 0)
        {
            // Disposal wakes one waiter; each passes the wake-up on, so no publisher waits for room forever.
            _credits.Release();
            throw new ObjectDisposedException(nameof(MqttConnection));
        }
        PendingPublish pending;
        try
        {
            pending = PublishWithinWindow(topic, payload.Span, qos, retain);
        }
        catch
        {
            _credits.Release();
            throw;
        }
        return pending.Task;
    }

    /// <summary>Subscribes (recorded, and renewed after every reconnect that lost the session) and completes on SUBACK.
    /// Shared subscriptions (<c>$share/group/filter</c>) split messages between the group's members.</summary>
    public Task SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(filter);
        Subscription subscription;
        lock (_subscriptionLock)
        {
            // Checked again under the lock: disposal fails every subscription it finds under this lock.
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_subscriptions.TryGetValue(filter, out var existing) && existing.Qos == qos) return existing.Acknowledged.Task.WaitAsync(cancellationToken);
            subscription = new Subscription(filter, qos);
            _subscriptions[filter] = subscription;
            if (_state == MqttConnectionState.Connected) SendSubscribe(subscription);
        }
        return subscription.Acknowledged.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Removes a subscription; it is not renewed after reconnects any more.</summary>
    public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        lock (_subscriptionLock)
        {
            if (!_subscriptions.Remove(filter)) return Task.CompletedTask;
            if (_state == MqttConnectionState.Connected)
            {
                int rc = Mosquitto.UnsubscribeV5(_client, out _, filter, 0);
                if (rc != Mosquitto.ErrSuccess && rc != Mosquitto.ErrNoConn) throw MqttException.FromResult("unsubscribe", rc);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits (bounded) for unacknowledged QoS 1 publishes, disconnects, stops the network thread, fails what is
    /// left, and frees the native client. Must not be called from a message callback's thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (t_onNetworkThread) throw new InvalidOperationException("An MQTT connection cannot be disposed from its own network thread.");
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;

        if (_state == MqttConnectionState.Connected && _options.DisposeFlushTimeout > TimeSpan.Zero)
        {
            Task[] unacknowledged;
            lock (_publishLock) unacknowledged = _pendingPublishes.Values.Select(p => p.Task).ToArray();
            if (unacknowledged.Length > 0)
            {
                await Task.WhenAny(Task.WhenAll(unacknowledged), Task.Delay(_options.DisposeFlushTimeout)).ConfigureAwait(false);
            }
        }

        _stopping = true;
        Mosquitto.DisconnectV5(_client, 0, 0); // wakes the loop through the library's socket pair
        _stopSignal.Set();
        await _networkThreadEnded.Task.ConfigureAwait(false);
        _state = MqttConnectionState.Closed;

        var closed = new MqttException("The MQTT connection was closed before the operation completed.", 0, isTransient: true);
        List<PendingPublish> leftPublishes;
        lock (_publishLock)
        {
            leftPublishes = [.. _pendingPublishes.Values];
            _pendingPublishes.Clear();
        }
        foreach (var p in leftPublishes) p.Fail(closed);
        lock (_subscriptionLock)
        {
            foreach (var s in _subscriptions.Values) s.Acknowledged.TrySetException(closed);
            _pendingSubscribes.Clear();
        }
        lock (_stateLock)
        {
            _connected.TrySetException(closed);
            _nextConnect.TrySetException(closed);
        }
        _firstConnack.TrySetException(closed);
        _messages.Writer.TryComplete();

        _credits.Release(); // wake publishers waiting for window room; they see the disposal and pass it on

        _client.Dispose();
        _self.Free();
        _stopSignal.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private unsafe PendingPublish PublishWithinWindow(string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain)
    {
        var pending = new PendingPublish(qos);
        int rc;
        // One lock around publish and registration: the PUBACK can arrive before mosquitto_publish returns (pitfall 3).
        lock (_publishLock)
        {
            // Checked again under the lock: disposal fails every pending publish it finds under this lock.
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            fixed (byte* data = payload)
            {
                rc = Mosquitto.PublishV5(_client, out int mid, topic, payload.Length, data, (int)qos, retain, 0);
                // QoS 1 + NO_CONN: already queued inside the library and resent after reconnect (pitfall 2).
                if (rc == Mosquitto.ErrSuccess || (rc == Mosquitto.ErrNoConn && qos == MqttQos.AtLeastOnce))
                {
                    _pendingPublishes[mid] = pending;
                    return pending;
                }
            }
        }
        throw MqttException.FromResult(qos == MqttQos.AtMostOnce && rc == Mosquitto.ErrNoConn ? "publish (QoS 0, not connected: dropped)" : "publish", rc);
    }

    // Called with _subscriptionLock held.
    private void SendSubscribe(Subscription subscription)
    {
        subscription.Active = false;
        int rc = Mosquitto.SubscribeV5(_client, out int mid, subscription.Filter, (int)subscription.Qos, 0, 0);
        if (rc == Mosquitto.ErrSuccess)
        {
            _pendingSubscribes[mid] = subscription;
        }
        else if (rc != Mosquitto.ErrNoConn)
        {
            // Invalid filter: the broker would never accept it, so it is not retried.
            _subscriptions.Remove(subscription.Filter);
            subscription.Acknowledged.TrySetException(MqttException.FromResult($"subscribe to '{subscription.Filter}'", rc));
        }
    }

    private sealed class PendingPublish(MqttQos qos)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public MqttQos Qos { get; } = qos;
        public Task Task => _done.Task;
        public void Complete() => _done.TrySetResult();
        public void Fail(Exception error) => _done.TrySetException(error);
    }

    private sealed class Subscription(string filter, MqttQos qos)
    {
        public string Filter { get; } = filter;
        public MqttQos Qos { get; } = qos;
        public bool Active { get; set; }
        public TaskCompletionSource Acknowledged { get; } = NewSignal();
    }
}
