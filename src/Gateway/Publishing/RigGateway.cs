using Fieldlab.Gateway.Buffering;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Delivery;
using Fieldlab.Gateway.Faults;
using Fieldlab.Gateway.Replay;
using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway.Publishing;

/// <summary>Runs one rig's gateway: its source (a simulated rig or a replay) writes every message to the on-disk outbox
/// first; the forwarder delivers from there; ingest's acknowledgements (or the broker's, by configuration) confirm; the
/// rig is announced (birth, online, offline will) on every connect; fault commands are answered; health is reported.</summary>
public sealed partial class RigGateway : BackgroundService
{
    private readonly GatewayConfig _config;
    private readonly ISimulatedRig? _rig;
    private readonly TimeProvider _time;
    private readonly ILogger<RigGateway> _logger;
    private readonly RigAddress _address;
    private readonly ReplaySource? _replay;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Outbox? _outbox;
    private Forwarder? _forwarder;
    private OutboxWriter? _writer;

    /// <summary>Creates the gateway for a simulated rig (<paramref name="rig"/>) or, with a replay config, for a recording.</summary>
    public RigGateway(GatewayConfig config, ISimulatedRig? rig, TimeProvider time, ILogger<RigGateway> logger)
    {
        _config = config;
        _rig = rig;
        _time = time;
        _logger = logger;
        _address = new RigAddress(config.Site, config.Rig);
        if (config.Replay is { } replay) _replay = new ReplaySource(replay, config.Publish, time, logger) { MaxBufferedBytes = (long)(config.Buffer.MaxMb * 1024 * 1024) };
        if (rig is null && _replay is null) throw new ArgumentException("A simulated rig or a replay is required.", nameof(rig));
        Faults = rig is null ? null : new FaultController(rig, config.Faults, time);
    }

    /// <summary>The connection, once started.</summary>
    public MqttConnection? Connection { get; private set; }

    /// <summary>Fault control of a simulated rig, or null for a replay.</summary>
    public FaultController? Faults { get; }

    /// <summary>The replay, or null for a simulated rig.</summary>
    public ReplaySource? Replay => _replay;

    /// <summary>Rows (samples, frame instants, truth events) written to the buffer so far.</summary>
    public long RowsPublished => _writer?.RowsAppended ?? 0;

    /// <summary>Payload bytes written per channel so far.</summary>
    public IReadOnlyDictionary<TopicChannel, long> BytesWritten => _writer?.BytesAppended ?? [];

    /// <summary>Completes when the buffer is open and the source runs.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the broker has acknowledged the subscription to this rig's commands: a command sent
    /// earlier is not delivered (commands are not retained, so a stale one never fires later).</summary>
    public Task ListeningForCommands => _listening.Task;

    /// <summary>The rig this gateway speaks for.</summary>
    public RigAddress Address => _address;

    /// <summary>Records sent again because ingest did not confirm them in time.</summary>
    public long Resends => _forwarder?.Resends ?? 0;

    /// <summary>Rows handed to the broker so far (resends included).</summary>
    public long RowsSent => _forwarder?.PublishedRows ?? 0;

    /// <summary>The buffer, once open (its confirmed, dropped and given-up rows, its capacity).</summary>
    public Outbox? Buffer => _outbox;

    /// <summary>The gateway id (the broker client id).</summary>
    public string GatewayId => _config.GatewayId;

    /// <summary>The buffer's current statistics.</summary>
    public OutboxStatistics? BufferStatistics => _outbox?.Statistics(UtcTimestamp.ToNanoseconds(_time.GetUtcNow() - _config.Delivery.LiveWindow));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bufferDir = _config.Buffer.Dir ?? Path.Combine("buffer", _config.GatewayId);
        using var outbox = Outbox.Open(new OutboxOptions
        {
            Directory = bufferDir,
            MaxBytes = (long)(_config.Buffer.MaxMb * 1024 * 1024),
            SegmentBytes = Math.Clamp((long)(_config.Buffer.MaxMb * 1024 * 1024 / 16), 64 * 1024, 16L * 1024 * 1024),
            FsyncInterval = _config.Buffer.FsyncInterval,
        }, _time, _logger);
        _outbox = outbox;
        _writer = new OutboxWriter(outbox, _config.Publish.MaxRowsPerBatch);

        var offline = WireJson.Encode(new RigState { State = "offline", Reason = "connection lost" });
        await using var connection = MqttConnection.Start(new MqttConnectionOptions
        {
            Host = _config.Broker.Host,
            Port = _config.Broker.Port,
            ClientId = _config.GatewayId,
            Username = _config.Broker.Username,
            Password = _config.Broker.EffectivePassword,
            Tls = _config.Broker.CaFile is { } ca ? new MqttTlsOptions { CaFile = ca } : null,
            LastWill = new MqttLastWill(FieldlabTopic.For(_address, TopicChannel.State), offline, MqttQos.AtLeastOnce, Retain: true),
            DisposeFlushTimeout = TimeSpan.FromSeconds(2),
        }, _logger);
        Connection = connection;
        var forwarder = new Forwarder(outbox, connection, _address, _config.Delivery, _time, _logger);
        _forwarder = forwarder;
        outbox.RecordsAvailable += forwarder.Wake;

        // Sampling stops at once on shutdown; delivery goes on for a while (drain_on_stop) to empty the buffer.
        using var stop = new CancellationTokenSource();
        // Subscribed before the first row is written: an ack published before that subscription stands would be lost.
        var acks = _config.Delivery.Confirm == "ingest" ? KeepSubscribedAsync(connection, FieldlabTopic.For(_address, TopicChannel.Ack), null, stop.Token) : Task.CompletedTask;
        var commands = KeepSubscribedAsync(connection, FieldlabTopic.CommandsOf(_address), _listening, stop.Token);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var source = _replay is not null ? _replay.RunAsync(_writer, stopSampling.Token) : SampleAsync(_rig!, _writer, stopSampling.Token);
        var tasks = new[]
        {
            acks,
            commands,
            AnnounceOnEveryConnectAsync(connection, stop.Token),
            forwarder.RunAsync(stop.Token),
            HandleMessagesAsync(connection, forwarder, stop.Token),
            ReportHealthAsync(connection, outbox, forwarder, stop.Token),
            source,
        };
        _ready.TrySetResult();
        try
        {
            // A finished replay keeps delivering. A task that fails is logged when it fails (not when every other
            // task has ended, which for a running gateway is never); the rest go on.
            var running = tasks.ToList();
            while (running.Count > 0)
            {
                var ended = await Task.WhenAny(running).WaitAsync(stoppingToken);
                running.Remove(ended);
                if (ended.IsFaulted) LogTaskFailed(ended.Exception!.GetBaseException());
            }
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await source.ContinueWith(_ => { }, TaskScheduler.Default);
            await DrainAsync(outbox, connection);
            await stop.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            await SayGoodbyeAsync(connection);
            outbox.Checkpoint();
        }
    }

    private async Task DrainAsync(Outbox outbox, MqttConnection connection)
    {
        var deadline = _time.GetUtcNow() + _config.Delivery.DrainOnStop;
        while (_time.GetUtcNow() < deadline && connection.State == MqttConnectionState.Connected && outbox.Statistics(0).UnconfirmedRows > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time);
        }
        var left = outbox.Statistics(0).UnconfirmedRows;
        if (left > 0) LogLeftBuffered(left);
    }

    private RigBirth Birth() => new()
    {
        Kind = _rig?.Kind ?? _config.Replay!.Kind,
        Description = _rig?.Description ?? $"Replay of {Path.GetFileName(_config.Replay!.File)}",
        Gateway = _config.GatewayId,
        Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(_time.GetUtcNow())),
        Streams = _rig is not null ? [.. _rig.Streams.Select(s => s.Describe()), .. _rig.Waveforms.Select(w => w.Describe())] : [_replay!.Describe()],
        Faults = _rig?.Faults.Select(f => new FaultInfo(f.Id, f.Description)).ToList(),
    };

    // A subscription the broker refuses (its ACL not yet, or no longer, granting it) is not renewed by the connection:
    // without acks a gateway would resend forever, without commands a staged fault would never arrive. Ask again with
    // back-off until the broker grants it, and say so each time.
    private async Task KeepSubscribedAsync(MqttConnection connection, string filter, TaskCompletionSource? granted, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await connection.SubscribeAsync(filter, MqttQos.AtLeastOnce, cancellationToken);
                granted?.TrySetResult();
                return;
            }
            catch (MqttException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogSubscriptionRefused(filter, e.Message, wait.TotalSeconds);
                await Task.Delay(wait, _time, cancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task AnnounceOnEveryConnectAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        long seen = 0;
        var birth = WireJson.Encode(Birth());
        while (!cancellationToken.IsCancellationRequested)
        {
            seen = await connection.WaitForConnectAsync(seen, cancellationToken);
            // The broker published our "offline" will when the last connection died: say we are back, and re-send the
            // birth in case a broker restart lost the retained copy.
            var online = WireJson.Encode(new RigState { State = "online", Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(_time.GetUtcNow())) });
            await Task.WhenAll(
                connection.PublishAsync(FieldlabTopic.For(_address, TopicChannel.Birth), birth, MqttQos.AtLeastOnce, retain: true, cancellationToken),
                connection.PublishAsync(FieldlabTopic.For(_address, TopicChannel.State), online, MqttQos.AtLeastOnce, retain: true, cancellationToken));
            LogAnnounced(_address.ToString(), seen);
        }
    }

    private async Task SampleAsync(ISimulatedRig rig, OutboxWriter writer, CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        var scalars = rig.Streams.Select(s => new ScalarCursor(s, start)).ToList();
        var waves = rig.Waveforms.Select(w => new WaveformCursor(w, start, _config.Simulation!.WaveformFrame)).ToList();
        using var timer = new PeriodicTimer(_config.Publish.BatchInterval, _time);
        do
        {
            long now = UtcTimestamp.ToNanoseconds(_time.GetUtcNow());
            writer.AppendTruth(Faults!.Advance());
            foreach (var cursor in scalars) cursor.Produce(writer, now);
            foreach (var cursor in waves) cursor.Produce(writer, now);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task HandleMessagesAsync(MqttConnection connection, Forwarder forwarder, CancellationToken cancellationToken)
    {
        await foreach (var message in connection.Messages.ReadAllAsync(cancellationToken))
        {
            if (!FieldlabTopic.TryParse(message.Topic, out var topic, out _) || topic.Rig != _address) continue;
            switch (topic.Channel)
            {
                case TopicChannel.Ack when WireJson.TryDecodeAck(message.Payload, out var ack, out _):
                    forwarder.Acknowledge(ack!);
                    forwarder.Wake();
                    break;
                case TopicChannel.Command:
                    var reply = topic.Sub switch
                    {
                        "fault" when Faults is not null => Faults.Handle(WireJson.TryDecodeFaultCommand(message.Payload, out var command, out var error) ? command : null, error),
                        "fault" => new CommandReply(null, false, "This rig is a replay; its faults come from the recording.", new Dictionary<string, double>()),
                        _ => new CommandReply(null, false, $"Unknown command '{topic.Sub}'. Known: fault.", Faults?.ActiveFaults ?? new Dictionary<string, double>()),
                    };
                    LogCommand(topic.Sub ?? "", reply.Ok, reply.Detail);
                    // Not awaited: waiting for the PUBACK here would stall acknowledgements behind it; a failure is logged and counted.
                    if (!connection.TryPublish(FieldlabTopic.For(_address, TopicChannel.CommandReply), WireJson.Encode(reply), MqttQos.AtLeastOnce, retain: false))
                        LogReplyNotSent(topic.Sub ?? "");
                    break;
            }
        }
    }

    private async Task ReportHealthAsync(MqttConnection connection, Outbox outbox, Forwarder forwarder, CancellationToken cancellationToken)
    {
        var nextReport = _time.GetUtcNow();
        var nextHead = nextReport;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken);
            outbox.Checkpoint();
            var now = _time.GetUtcNow();
            if (now >= nextHead)
            {
                nextHead = now + HeadAnnouncement.Interval;
                AnnounceHead(connection, now);
            }
            if (now < nextReport) continue;
            nextReport = now + _config.Delivery.HealthInterval;
            var stats = outbox.Statistics(UtcTimestamp.ToNanoseconds(now - _config.Delivery.LiveWindow));
            var health = new GatewayHealth
            {
                T = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(now)),
                Connected = connection.State == MqttConnectionState.Connected,
                UnconfirmedRows = stats.UnconfirmedRows,
                BufferedBytes = stats.BufferedBytes,
                BacklogRows = stats.BacklogRows,
                PublishedRows = forwarder.PublishedRows,
                ConfirmedRows = outbox.ConfirmedRows,
                DroppedRows = stats.DroppedRows,
                Resends = forwarder.Resends,
                OldestUnconfirmedSeconds = stats.OldestUnconfirmedNs == 0 ? 0 : Math.Round((UtcTimestamp.ToNanoseconds(now) - stats.OldestUnconfirmedNs) / 1e9, 3),
            };
            if (connection.State == MqttConnectionState.Connected)
            {
                // A health report is a reading, not data: the next one follows.
                connection.TryPublish(FieldlabTopic.For(_address, TopicChannel.Health), WireJson.Encode(health), MqttQos.AtMostOnce, retain: false);
            }
            if (stats.DroppedRows > 0) LogLosses(_address.ToString(), stats.DroppedRows);
        }
    }

    // Retained, so that an ingest starting later learns at once how far the streams were created (and confirmed).
    private void AnnounceHead(MqttConnection connection, DateTimeOffset now)
    {
        if (connection.State != MqttConnectionState.Connected || HeadAnnouncement.Build(_writer!, _config.Delivery.Confirm == "ingest", now) is not { } head) return;
        // The next announcement follows within a second; until then the watermark just stays where it is.
        connection.TryPublish(FieldlabTopic.For(_address, TopicChannel.Head), WireJson.Encode(head), MqttQos.AtLeastOnce, retain: true);
    }

    private async Task SayGoodbyeAsync(MqttConnection connection)
    {
        if (connection.State != MqttConnectionState.Connected) return;
        try
        {
            var offline = WireJson.Encode(new RigState { State = "offline", Reason = "shutdown", Since = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(_time.GetUtcNow())) });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.PublishAsync(FieldlabTopic.For(_address, TopicChannel.State), offline, MqttQos.AtLeastOnce, retain: true, timeout.Token);
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            LogGoodbyeFailed(e.Message);
        }
    }

    [LoggerMessage(1001, LogLevel.Information, "Rig {Rig} announced (connection #{Connects}).")]
    private partial void LogAnnounced(string rig, long connects);

    [LoggerMessage(1002, LogLevel.Warning, "Could not say goodbye: {Reason}")]
    private partial void LogGoodbyeFailed(string reason);

    [LoggerMessage(1003, LogLevel.Information, "Command {Verb}: {Ok}: {Detail}")]
    private partial void LogCommand(string verb, bool ok, string detail);

    [LoggerMessage(1004, LogLevel.Error, "A gateway task failed.")]
    private partial void LogTaskFailed(Exception error);

    [LoggerMessage(1008, LogLevel.Warning, "The reply to a '{Command}' command was not sent: the connection's publish queue is full or closed.")]
    private partial void LogReplyNotSent(string command);

    [LoggerMessage(1007, LogLevel.Warning, "The subscription to {Filter} failed ({Reason}); asking again in {Seconds} s.")]
    private partial void LogSubscriptionRefused(string filter, string reason, double seconds);

    [LoggerMessage(1006, LogLevel.Information, "Stopping with {Rows} rows still unconfirmed; they stay in the buffer for the next start.")]
    private partial void LogLeftBuffered(long rows);

    [LoggerMessage(1005, LogLevel.Warning, "Rig {Rig}: {Rows} rows have been lost to a full buffer since it was created.")]
    private partial void LogLosses(string rig, long rows);
}
