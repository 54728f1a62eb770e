using Fieldlab.Telemetry.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Telemetry.Mqtt.Native;

internal sealed partial class MosquittoConnection
{
    private unsafe void Configure()
    {
        Check("set protocol version", Mosquitto.IntOption(_client, Mosquitto.OptProtocolVersion, (int)_options.ProtocolVersion));
        Check("set threaded", Mosquitto.ThreadedSet(_client, true));
        Check("set TCP_NODELAY", Mosquitto.IntOption(_client, Mosquitto.OptTcpNoDelay, 1));
        if (_options.ProtocolVersion == MqttProtocolVersion.V5)
        {
            Check("set receive maximum", Mosquitto.IntOption(_client, Mosquitto.OptReceiveMaximum, _options.ReceiveMaximum));
            Check("set send maximum", Mosquitto.IntOption(_client, Mosquitto.OptSendMaximum, Math.Min(_options.MaxInflight, 65535)));
        }
        if (_options.Username is not null)
        {
            Check("set credentials", Mosquitto.UsernamePasswordSet(_client, _options.Username, _options.Password));
        }
        if (_options.LastWill is { } will)
        {
            fixed (byte* payload = will.Payload)
            {
                Check("set last will", Mosquitto.WillSet(_client, will.Topic, will.Payload.Length, payload, (int)will.Qos, will.Retain));
            }
        }
        if (_options.Tls is { } tls)
        {
            Check("set TLS files", Mosquitto.TlsSet(_client, tls.CaFile, null, tls.CertFile, tls.KeyFile, 0));
            Check("set TLS options", Mosquitto.TlsOptionsSet(_client, certificateRequirements: 1, tls.MinimumVersion, null));
            if (tls.AllowUntrustedHostName) Check("set TLS insecure", Mosquitto.TlsInsecureSet(_client, true));
        }

        Mosquitto.ConnectV5CallbackSet(_client, &OnConnect);
        Mosquitto.DisconnectV5CallbackSet(_client, &OnDisconnect);
        Mosquitto.PublishV5CallbackSet(_client, &OnPublish);
        Mosquitto.MessageV5CallbackSet(_client, &OnMessage);
        Mosquitto.SubscribeV5CallbackSet(_client, &OnSubscribe);
        Mosquitto.LogCallbackSet(_client, &OnLog);
    }

    private static void Check(string operation, int rc)
    {
        if (rc != Mosquitto.ErrSuccess) throw MqttException.FromResult(operation, rc);
    }

    private void RunNetworkLoop()
    {
        t_onNetworkThread = true;
        try
        {
            int rc = ConnectFirstTime();
            while (!_stopping)
            {
                if (rc == Mosquitto.ErrSuccess)
                {
                    // Over the receive budget the consumer is behind: read slowly (about one packet per call) so that TCP
                    // pushes back and the broker queues, while pings and acknowledgements keep flowing (pitfall 7).
                    if (_options.ReceiveBufferLimitBytes > 0 && Interlocked.Read(ref _receivedBytes) > _options.ReceiveBufferLimitBytes)
                    {
                        if (_stopSignal.Wait(5)) break;
                    }
                    // Wakes early when another thread queues a packet (library socket pair); the timeout bounds keep-alive checks.
                    rc = Mosquitto.Loop(_client, 500, 1);
                    continue;
                }
                if (_stopping) break;
                NoteNetworkError(rc);
                var wait = _backoff;
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.ReconnectDelayMax.Ticks));
                if (_stopSignal.Wait(wait)) break;
                rc = Mosquitto.Reconnect(_client);
            }
        }
        catch (Exception e)
        {
            LogNetworkThreadFailed(_options.ClientId, e);
            _lastError = e.Message;
        }
        finally
        {
            _networkThreadEnded.TrySetResult();
        }
    }

    private unsafe int ConnectFirstTime()
    {
        nint properties = 0;
        try
        {
            if (_options.ProtocolVersion == MqttProtocolVersion.V5 && !_options.CleanSession)
            {
                // Without Session Expiry Interval an MQTT 5 broker keeps no session even with clean start off (pitfall 5);
                // libmosquitto re-sends these CONNECT properties on every reconnect.
                Check("add session expiry", Mosquitto.PropertyAddInt32(&properties, Mosquitto.PropSessionExpiryInterval,
                    (uint)_options.SessionExpiry.TotalSeconds));
            }
            return Mosquitto.ConnectBindV5(_client, _options.Host, _options.Port,
                (int)_options.KeepAlive.TotalSeconds, null, properties);
        }
        finally
        {
            if (properties != 0) Mosquitto.PropertyFreeAll(&properties);
        }
    }

    private void NoteNetworkError(int rc)
    {
        if (rc == Mosquitto.ErrNoConn) return; // the disconnect callback already said why
        var text = Mosquitto.ErrorText(rc);
        _lastError = text;
        LogNetworkError(_options.ClientId, _options.Host, _options.Port, text);
    }

    private void HandleConnect(int rc, int flags)
    {
        if (rc != 0)
        {
            var reason = _options.ProtocolVersion == MqttProtocolVersion.V5 ? Mosquitto.ReasonText(rc) : Mosquitto.ConnackText(rc);
            _lastError = $"broker refused the connection: {reason}";
            LogRefused(_options.ClientId, reason);
            _firstConnack.TrySetException(new MqttException($"The MQTT broker refused client '{_options.ClientId}': {reason}.", rc, isTransient: false));
            return;
        }

        _backoff = _options.ReconnectDelayMin;
        bool sessionPresent = (flags & 1) != 0;
        lock (_subscriptionLock)
        {
            _state = MqttConnectionState.Connected;
            // Every subscription again, even when the broker says it kept the session: Mosquitto 2.0.11 restores a
            // persistent session's plain subscriptions after a restart but silently drops its shared ($share/...) ones.
            // Subscribing again is idempotent; retained messages are simply delivered once more.
            foreach (var subscription in _subscriptions.Values) SendSubscribe(subscription);
        }
        lock (_stateLock)
        {
            Interlocked.Increment(ref _connects);
            _connected.TrySetResult();
            var waiters = _nextConnect;
            _nextConnect = NewSignal();
            waiters.TrySetResult();
        }
        _firstConnack.TrySetResult();
        LogConnected(_options.ClientId, sessionPresent);
    }

    private void HandleDisconnect(int rc)
    {
        bool wasConnected;
        lock (_subscriptionLock)
        {
            wasConnected = _state == MqttConnectionState.Connected;
            if (_state != MqttConnectionState.Closed) _state = MqttConnectionState.Connecting;
            _pendingSubscribes.Clear(); // renewed on the next CONNACK
        }
        lock (_stateLock)
        {
            if (_connected.Task.IsCompleted) _connected = NewSignal();
        }
        if (wasConnected) Interlocked.Increment(ref _connectionLosses);

        // QoS 0 packets still queued vanish on disconnect without a callback (pitfall 2): fail them here.
        List<OutgoingPublish>? lost = null;
        lock (_publishLock)
        {
            foreach (var (mid, pending) in _pendingPublishes)
            {
                if (pending.Qos != MqttQos.AtMostOnce) continue;
                (lost ??= []).Add(pending);
                _pendingPublishes.Remove(mid);
            }
        }
        if (lost is not null)
        {
            var error = new MqttException("The connection dropped before a QoS 0 message was sent; it is lost.", rc, isTransient: true);
            foreach (var p in lost)
            {
                _publishes.Release();
                p.Fail(error);
            }
        }
        if (rc != 0 && !_stopping)
        {
            var text = Mosquitto.ErrorText(rc);
            _lastError = text;
            if (wasConnected) LogConnectionLost(_options.ClientId, text);
        }
    }

    private void HandlePublish(int mid, int reasonCode)
    {
        OutgoingPublish? pending;
        lock (_publishLock)
        {
            if (!_pendingPublishes.Remove(mid, out pending)) return;
        }
        _publishes.Release();
        if (reasonCode >= 0x80)
        {
            pending.Fail(new MqttException($"The broker rejected the publish: {Mosquitto.ReasonText(reasonCode)}.", reasonCode, isTransient: false));
        }
        else
        {
            pending.Complete();
        }
    }

    private unsafe void HandleMessage(MosquittoMessage* message)
    {
        var topic = System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(message->Topic));
        var payload = message->PayloadLength == 0 ? [] : new ReadOnlySpan<byte>(message->Payload, message->PayloadLength).ToArray();
        // Unbounded: the network thread must never wait on a full channel (pitfall 7); consumers watch ReceiveBacklog.
        if (_messages.Writer.TryWrite(new MqttMessage(topic, payload, (MqttQos)Math.Min(message->Qos, 1), message->Retain != 0)))
        {
            Interlocked.Increment(ref _messagesReceived);
            Interlocked.Add(ref _receivedBytes, payload.Length);
        }
    }

    private unsafe void HandleSubscribe(int mid, int count, int* granted)
    {
        Subscription? subscription;
        lock (_subscriptionLock)
        {
            if (!_pendingSubscribes.Remove(mid, out subscription)) return;
            int code = count > 0 ? granted[0] : 0x80;
            if (code >= 0x80)
            {
                _subscriptions.Remove(subscription.Filter);
                subscription.Acknowledged.TrySetException(new MqttException(
                    $"The broker refused the subscription to '{subscription.Filter}' (reason code 0x{code:x2}).", code, isTransient: false));
                return;
            }
            subscription.Active = true;
        }
        subscription.Acknowledged.TrySetResult();
    }

    private void HandleLog(int level, string text)
    {
        if (level == Mosquitto.LogError) LogLibraryError(_options.ClientId, text);
        else LogLibraryWarning(_options.ClientId, text);
    }

    [LoggerMessage(5001, LogLevel.Information, "MQTT client {ClientId} connected (session present: {SessionPresent}).")]
    private partial void LogConnected(string clientId, bool sessionPresent);

    [LoggerMessage(5002, LogLevel.Warning, "MQTT client {ClientId} lost its connection: {Reason}. Reconnecting.")]
    private partial void LogConnectionLost(string clientId, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "MQTT client {ClientId} cannot reach {Host}:{Port}: {Reason}. Retrying.")]
    private partial void LogNetworkError(string clientId, string host, int port, string reason);

    [LoggerMessage(5004, LogLevel.Error, "MQTT broker refused client {ClientId}: {Reason}.")]
    private partial void LogRefused(string clientId, string reason);

    [LoggerMessage(5005, LogLevel.Error, "MQTT network thread of {ClientId} failed.")]
    private partial void LogNetworkThreadFailed(string clientId, Exception error);

    [LoggerMessage(5006, LogLevel.Error, "libmosquitto ({ClientId}): {Text}")]
    private partial void LogLibraryError(string clientId, string text);

    [LoggerMessage(5007, LogLevel.Warning, "libmosquitto ({ClientId}): {Text}")]
    private partial void LogLibraryWarning(string clientId, string text);
}
