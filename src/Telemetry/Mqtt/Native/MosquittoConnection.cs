using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Telemetry.Mqtt.Native;

/// <summary>The <see cref="MqttConnection"/> on libmosquitto: publish with PUBACK completion, subscriptions delivered to
/// a channel, automatic reconnect with re-subscription. The only place in Fieldlab that touches the native library. It
/// acknowledges received messages in its network loop, so it cannot offer manual acknowledgement.</summary>
/// <remarks>
/// The connection runs its own managed network thread around <c>mosquitto_loop</c> instead of
/// <c>mosquitto_loop_start</c>: reconnects are ours (no silent end of the library's thread after a fatal error,
/// libmosquitto-notes pitfall 8), and stopping never needs <c>pthread_cancel</c> (pitfall 13).
/// All callbacks run on that thread; they never block and never let an exception escape (pitfalls 1 and 7).
/// </remarks>
internal sealed partial class MosquittoConnection : MqttConnection
{
    static MosquittoConnection()
    {
        // mosquitto_lib_init is not thread-safe: once per process, here (pitfall 15); never cleaned up.
        Mosquitto.LibInit();
    }

    [ThreadStatic] private static bool t_onNetworkThread;

    private readonly MosquittoClientHandle _client;
    private GCHandle _self;
    private readonly Thread _networkThread;
    private readonly TaskCompletionSource _networkThreadEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _stopSignal = new(false);
    private volatile bool _stopping;
    private int _disposed;

    private readonly object _publishLock = new();
    private readonly Dictionary<int, OutgoingPublish> _pendingPublishes = [];
    private readonly PublishQueue _publishes;

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

    private MosquittoConnection(MqttConnectionOptions options, ILogger? logger) : base(options, logger)
    {
        _publishes = new PublishQueue(options.MaxInflight, HandOver);
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

    /// <summary>Creates the connection (options already validated) and starts its network thread.</summary>
    internal static new MosquittoConnection Start(MqttConnectionOptions options, ILogger? logger)
    {
        var connection = new MosquittoConnection(options, logger);
        connection._networkThread.Start();
        return connection;
    }

    /// <inheritdoc />
    private protected override Task WaitFirstConnackAsync(CancellationToken cancellationToken) => _firstConnack.Task.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public override ChannelReader<MqttMessage> Messages => _reader;

    /// <inheritdoc />
    public override MqttConnectionState State => _state;

    /// <inheritdoc />
    public override string? LastError => _lastError;

    /// <inheritdoc />
    public override MqttConnectionStatistics Statistics => new(
        Interlocked.Read(ref _connects),
        Interlocked.Read(ref _connectionLosses),
        Interlocked.Read(ref _messagesReceived),
        _messages.Reader.Count,
        _publishes.InFlight,
        _publishes.Waiting);

    /// <inheritdoc />
    public override Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Task signal;
        lock (_stateLock) signal = _connected.Task;
        return signal.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<long> WaitForConnectAsync(long seenConnects, CancellationToken cancellationToken)
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

    /// <inheritdoc />
    public override Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var delivered = _publishes.Enqueue(topic, payload, qos, retain, cancellationToken);
        return cancellationToken.CanBeCanceled ? delivered.WaitAsync(cancellationToken) : delivered;
    }

    /// <inheritdoc />
    /// <remarks>libmosquitto has acknowledged every message before the application sees it: nothing to do.</remarks>
    public override void Acknowledge(in MqttMessage message)
    {
    }

    /// <inheritdoc />
    public override Task SubscribeAsync(string filter, MqttQos qos, CancellationToken cancellationToken)
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

    /// <inheritdoc />
    public override Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
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
    public override async ValueTask DisposeAsync()
    {
        if (t_onNetworkThread) throw new InvalidOperationException("An MQTT connection cannot be disposed from its own network thread.");
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;

        if (_state == MqttConnectionState.Connected && _options.DisposeFlushTimeout > TimeSpan.Zero)
        {
            Task[] unacknowledged;
            lock (_publishLock) unacknowledged = _pendingPublishes.Values.Select(p => p.Delivered).ToArray();
            if (unacknowledged.Length > 0)
            {
                await Task.WhenAny(Task.WhenAll(unacknowledged), Task.Delay(_options.DisposeFlushTimeout)).ConfigureAwait(false);
            }
        }

        await _publishes.CloseAsync().ConfigureAwait(false);
        _stopping = true;
        Mosquitto.DisconnectV5(_client, 0, 0); // wakes the loop through the library's socket pair
        _stopSignal.Set();
        await _networkThreadEnded.Task.ConfigureAwait(false);
        _state = MqttConnectionState.Closed;

        var closed = new MqttException("The MQTT connection was closed before the operation completed.", 0, isTransient: true);
        List<OutgoingPublish> leftPublishes;
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

        _client.Dispose();
        _self.Free();
        _stopSignal.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The queue's single sender hands publishes over one at a time, inside the window.
    private ValueTask HandOver(OutgoingPublish outgoing)
    {
        PublishWithinWindow(outgoing);
        return ValueTask.CompletedTask;
    }

    private unsafe void PublishWithinWindow(OutgoingPublish outgoing)
    {
        int rc;
        // One lock around publish and registration: the PUBACK can arrive before mosquitto_publish returns (pitfall 3).
        lock (_publishLock)
        {
            // Checked again under the lock: disposal fails every pending publish it finds under this lock.
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            fixed (byte* data = outgoing.Payload)
            {
                rc = Mosquitto.PublishV5(_client, out int mid, outgoing.Topic, outgoing.Payload.Length, data, (int)outgoing.Qos, outgoing.Retain, 0);
                // QoS 1 + NO_CONN: already queued inside the library and resent after reconnect (pitfall 2).
                if (rc == Mosquitto.ErrSuccess || (rc == Mosquitto.ErrNoConn && outgoing.Qos == MqttQos.AtLeastOnce))
                {
                    _pendingPublishes[mid] = outgoing;
                    return;
                }
            }
        }
        throw MqttException.FromResult(outgoing.Qos == MqttQos.AtMostOnce && rc == Mosquitto.ErrNoConn ? "publish (QoS 0, not connected: dropped)" : "publish", rc);
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

    private sealed class Subscription(string filter, MqttQos qos)
    {
        public string Filter { get; } = filter;
        public MqttQos Qos { get; } = qos;
        public bool Active { get; set; }
        public TaskCompletionSource Acknowledged { get; } = NewSignal();
    }
}
