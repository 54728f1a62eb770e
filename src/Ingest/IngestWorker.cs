using Fieldlab.Ingest.Confirmation;
using Fieldlab.Ingest.Gateways;
using Fieldlab.Ingest.GroundTruth;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Quarantine;
using Fieldlab.Ingest.Samples;
using Fieldlab.Ingest.Waveforms;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest;

/// <summary>The ingest loop: consumes the live lane and, beside it, the backlog lane (two persistent shared
/// subscriptions on two connections, live first), turns every message into points, writes them to InfluxDB in batches
/// (by size or age), quarantines what is invalid, and after each durable write confirms the handled sequence ranges to
/// the gateways.</summary>
public sealed partial class IngestWorker(
    IOptions<MqttConnectionOptions> mqttOptions,
    IOptions<IngestOptions> ingestOptions,
    InfluxClient influx,
    RigDirectory directory,
    IngestCounters counters,
    TimeProvider time,
    ILogger<IngestWorker> logger) : BackgroundService
{
    /// <summary>Retention policy of raw waveform frames.</summary>
    public const string WaveformRetentionPolicy = "waveform_raw";

    private readonly IngestOptions _options = ingestOptions.Value;
    private readonly LineProtocolWriter _points = new(1024 * 1024);
    private readonly LineProtocolWriter _raw = new(1024 * 1024);
    private readonly AckLedger _acks = new();
    private SampleBatchProcessor _samples = null!;
    private WaveformProcessor _waveforms = null!;
    private TruthRecorder _truth = null!;
    private RejectRecorder _rejects = null!;
    private ParkedMessages _parked = null!;
    private int _rowsPending;
    private long _batchStartedTimestamp;
    private int _liveStreak;

    /// <summary>The live-lane connection, once started.</summary>
    public MqttConnection? Connection { get; private set; }

    /// <summary>The backlog-lane connection, once started.</summary>
    public MqttConnection? BacklogConnection { get; private set; }

    /// <summary>Messages waiting for their rig's birth.</summary>
    public int ParkedCount => _parked?.Count ?? 0;

    /// <summary>Points waiting to be written.</summary>
    public int PendingPoints => _points.PointCount + _raw.PointCount;

    /// <summary>Last InfluxDB error, or null after a successful write.</summary>
    public string? LastWriteError { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = mqttOptions.Value;
        _samples = new SampleBatchProcessor(_options, directory, time);
        _waveforms = new WaveformProcessor(_options, directory, time);
        _truth = new TruthRecorder(_samples, time);
        _rejects = new RejectRecorder(_options, mqtt.ClientId);
        _parked = new ParkedMessages(_options.MaxParkedMessages);

        await EnsureDatabaseAsync(stoppingToken);
        await using var live = MqttConnection.Start(mqtt, logger);
        await using var backlog = MqttConnection.Start(mqtt.WithClientId(mqtt.ClientId + "-backlog"), logger);
        Connection = live;
        BacklogConnection = backlog;
        // Births first: on a new session the retained births are queued to us before any sample of the shared subscriptions.
        await live.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
        foreach (var channel in new[] { TopicChannel.Samples, TopicChannel.Waveform, TopicChannel.Truth, TopicChannel.Health })
        {
            await live.SubscribeAsync($"$share/{_options.SharedGroup}/{FieldlabTopic.AllRigs(channel)}", MqttQos.AtLeastOnce, stoppingToken);
        }
        await backlog.SubscribeAsync($"$share/{_options.SharedGroup}/{FieldlabTopic.AllRigs(TopicChannel.Backlog)}", MqttQos.AtLeastOnce, stoppingToken);
        LogStarted(mqtt.ClientId, _options.SharedGroup);
        try
        {
            await ConsumeAsync(live, backlog, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is pending, within a bound. What is not written is not confirmed, so the
            // gateways send it again.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await FlushAsync(live, drain.Token);
            }
            catch (OperationCanceledException)
            {
                LogShutdownUnflushed(PendingPoints);
            }
        }
    }

    private async Task ConsumeAsync(MqttConnection live, MqttConnection backlog, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Next(live, backlog, out var message))
            {
                await HandleAsync(live, message, stoppingToken);
                if (PendingPoints >= _options.MaxBatchPoints) await FlushAsync(live, stoppingToken);
                continue;
            }
            await ExpireParkedAsync(live, stoppingToken);
            bool pending = PendingPoints > 0 || _acks.Count > 0;
            var wait = pending ? _options.MaxBatchDelay - time.GetElapsedTime(_batchStartedTimestamp) : TimeSpan.FromSeconds(1);
            if (wait <= TimeSpan.Zero)
            {
                await FlushAsync(live, stoppingToken);
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await Task.WhenAny(live.Messages.WaitToReadAsync(timeout.Token).AsTask(), backlog.Messages.WaitToReadAsync(timeout.Token).AsTask());
                await timeout.CancelAsync(); // release the other lane's waiter
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Deadline passed: loop round to flush or expire.
            }
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    // Live first; one backlog message per LivePerBacklog live ones while both have work, so neither starves.
    private bool Next(MqttConnection live, MqttConnection backlog, out MqttMessage message)
    {
        if (_liveStreak < _options.LivePerBacklog && live.Messages.TryRead(out message))
        {
            _liveStreak++;
            return true;
        }
        _liveStreak = 0;
        return backlog.Messages.TryRead(out message) || live.Messages.TryRead(out message);
    }

    private async Task HandleAsync(MqttConnection connection, MqttMessage message, CancellationToken cancellationToken)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var topicError))
        {
            counters.MessageReceived();
            await QuarantineAsync(connection, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, topicError!, 0), cancellationToken);
            return;
        }
        if (topic.Channel == TopicChannel.Birth)
        {
            if (!directory.TryApply(message, out _, out var birthError))
            {
                await QuarantineAsync(connection, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidBirth, birthError!, 0), cancellationToken);
                return;
            }
            foreach (var (parkedTopic, parked) in _parked.TakeRig(topic.Rig)) await ProcessAsync(connection, parkedTopic, parked, cancellationToken);
            return;
        }
        if (topic.Carried == TopicChannel.Health)
        {
            if (PendingPoints == 0) _batchStartedTimestamp = time.GetTimestamp();
            GatewayHealthRecorder.Record(topic, message, _points);
            return;
        }
        counters.MessageReceived();
        await ProcessAsync(connection, topic, message, cancellationToken);
    }

    private async Task ProcessAsync(MqttConnection connection, FieldlabTopic topic, MqttMessage message, CancellationToken cancellationToken)
    {
        if (PendingPoints == 0 && _acks.Count == 0) _batchStartedTimestamp = time.GetTimestamp();
        var outcome = topic.Carried switch
        {
            TopicChannel.Samples => _samples.Process(topic, message, _points),
            TopicChannel.Waveform => _waveforms.Process(topic, message, _points, _raw),
            TopicChannel.Truth => _truth.Process(topic, message, _points),
            _ => _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, $"ingest does not take {topic.Carried} messages", 0),
        };
        if (outcome.Verdict == BatchVerdict.AwaitingBirth)
        {
            if (_parked.Park(topic, message, time.GetUtcNow()) is { } evicted) await RejectUnknownRigAsync(connection, evicted, "too many messages waiting for births", cancellationToken);
            return;
        }
        _rowsPending += outcome.RowsWritten;
        if (outcome.RowsWritten > 0) counters.BatchAccepted();
        // Stored or quarantined, the range is handled once this batch is durable: confirm it then.
        if (outcome.Stream is not null) _acks.Add(topic.Rig, outcome.Stream, outcome.FirstSeq, outcome.Count);
        if (outcome.DeadLetter is not null) await QuarantineAsync(connection, outcome, cancellationToken);
    }

    private async Task ExpireParkedAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        if (_parked.Count == 0) return;
        foreach (var message in _parked.TakeExpired(time.GetUtcNow() - _options.UnknownRigGrace))
        {
            await RejectUnknownRigAsync(connection, message, $"no birth arrived within {_options.UnknownRigGrace}", cancellationToken);
        }
    }

    private Task RejectUnknownRigAsync(MqttConnection connection, MqttMessage message, string why, CancellationToken cancellationToken)
    {
        var rows = new DecodedSampleBatch();
        int count = SampleBatchReader.TryRead(message.Payload, rows, out _, out _) ? rows.RowCount : 0;
        return QuarantineAsync(connection, _samples.Reject(message, time.GetUtcNow(), RejectReasons.UnknownRig,
            $"no birth message is known for this rig ({why}); publish fieldlab/{{site}}/{{rig}}/birth first", count), cancellationToken);
    }

    private async Task QuarantineAsync(MqttConnection connection, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        var letter = outcome.DeadLetter!;
        if (outcome.Verdict == BatchVerdict.Rejected && outcome.RowsWritten == 0) counters.MessageRejected(outcome.RowsRejected);
        else counters.RowsQuarantined(outcome.RowsRejected);
        if (PendingPoints == 0) _batchStartedTimestamp = time.GetTimestamp();
        var (topic, payload) = _rejects.Record(letter, outcome.RowsRejected, _points);
        LogRejected(letter.Topic, letter.Reason, letter.Detail);
        try
        {
            // Fire and forget on purpose: the reject point in InfluxDB is the durable record; the MQTT copy is a notice.
            _ = await connection.EnqueuePublishAsync(topic, payload, MqttQos.AtLeastOnce, retain: false, cancellationToken);
        }
        catch (MqttException e)
        {
            LogDeadLetterNotPublished(e.Message);
        }
    }

    private async Task FlushAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        if (PendingPoints == 0 && _acks.Count == 0) return;
        var started = time.GetTimestamp();
        await WriteAsync(_points, retentionPolicy: null, cancellationToken);
        await WriteAsync(_raw, WaveformRetentionPolicy, cancellationToken);
        counters.WriteSucceeded(_rowsPending, time.GetElapsedTime(started), time.GetUtcNow());
        _rowsPending = 0;
        foreach (var (rig, ack) in _acks.Take())
        {
            try
            {
                _ = await connection.EnqueuePublishAsync(FieldlabTopic.For(rig, TopicChannel.Ack), WireJson.Encode(ack), MqttQos.AtLeastOnce, retain: false, cancellationToken);
            }
            catch (MqttException e)
            {
                // Unconfirmed data is sent again by the gateway and stored idempotently: nothing is lost.
                LogAckNotPublished(rig.ToString(), e.Message);
            }
        }
    }

    private async Task WriteAsync(LineProtocolWriter points, string? retentionPolicy, CancellationToken cancellationToken)
    {
        if (points.PointCount == 0) return;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await influx.WriteAsync(points.WrittenMemory, influx.Options.Database, retentionPolicy ?? influx.Options.RetentionPolicy, cancellationToken);
                LastWriteError = null;
                break;
            }
            catch (InfluxWriteRejectedException e)
            {
                // InfluxDB 1.x stores the valid points of a batch and drops the conflicting ones ("partial write").
                LastWriteError = e.Message;
                LogWriteRejected(e.Message);
                break;
            }
            catch (InfluxException e)
            {
                counters.WriteFailed();
                LastWriteError = e.Message;
                LogWriteFailed(e.Message, backoff);
                if (!e.IsTransient && e.StatusCode == 404) await EnsureDatabaseAsync(cancellationToken);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        points.Clear();
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var database = InfluxIdentifier.Quote(influx.Options.Database);
        var policy = InfluxIdentifier.Quote(WaveformRetentionPolicy);
        var duration = $"{(long)_options.WaveformRetention.TotalMinutes}m";
        while (true)
        {
            try
            {
                await influx.EnsureDatabaseAsync(cancellationToken);
                try
                {
                    await influx.QueryAsync(new InfluxQuery($"CREATE RETENTION POLICY {policy} ON {database} DURATION {duration} REPLICATION 1"), cancellationToken);
                }
                catch (InfluxException e) when (!e.IsTransient && e.Message.Contains("already exists", StringComparison.Ordinal))
                {
                    await influx.QueryAsync(new InfluxQuery($"ALTER RETENTION POLICY {policy} ON {database} DURATION {duration}"), cancellationToken);
                }
                return;
            }
            catch (InfluxException e)
            {
                LastWriteError = e.Message;
                LogDatabaseUnavailable(e.Message);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(2001, LogLevel.Information, "Ingest {ClientId} consuming in shared group '{Group}'.")]
    private partial void LogStarted(string clientId, string group);

    [LoggerMessage(2002, LogLevel.Warning, "Quarantined a message from {Topic}: {Reason}: {Detail}")]
    private partial void LogRejected(string topic, string reason, string detail);

    [LoggerMessage(2003, LogLevel.Warning, "InfluxDB write failed ({Reason}); retrying in {Backoff}.")]
    private partial void LogWriteFailed(string reason, TimeSpan backoff);

    [LoggerMessage(2004, LogLevel.Error, "InfluxDB rejected part of a batch: {Reason}")]
    private partial void LogWriteRejected(string reason);

    [LoggerMessage(2005, LogLevel.Warning, "InfluxDB not ready: {Reason}")]
    private partial void LogDatabaseUnavailable(string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Dead letter not published: {Reason}")]
    private partial void LogDeadLetterNotPublished(string reason);

    [LoggerMessage(2007, LogLevel.Error, "Shutdown before {Points} pending points were written; their gateways will send them again.")]
    private partial void LogShutdownUnflushed(int points);

    [LoggerMessage(2008, LogLevel.Warning, "Acknowledgement to {Rig} not published: {Reason}")]
    private partial void LogAckNotPublished(string rig, string reason);
}
