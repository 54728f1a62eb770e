using System.Diagnostics;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Quarantine;
using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest;

/// <summary>The ingest loop: consumes births and sample batches from a persistent shared subscription, writes valid
/// rows to InfluxDB in batches (by size or age), and quarantines the rest.</summary>
public sealed partial class IngestWorker(
    IOptions<MqttConnectionOptions> mqttOptions,
    IOptions<IngestOptions> ingestOptions,
    InfluxClient influx,
    RigDirectory directory,
    IngestCounters counters,
    TimeProvider time,
    ILogger<IngestWorker> logger) : BackgroundService
{
    private readonly IngestOptions _options = ingestOptions.Value;
    private readonly LineProtocolWriter _points = new(1024 * 1024);
    private SampleBatchProcessor _processor = null!;
    private RejectRecorder _rejects = null!;
    private ParkedMessages _parked = null!;
    private int _rowsPending;
    private long _batchStartedTimestamp;

    /// <summary>The broker connection, once started.</summary>
    public MqttConnection? Connection { get; private set; }

    /// <summary>Messages waiting for their rig's birth.</summary>
    public int ParkedCount => _parked?.Count ?? 0;

    /// <summary>Points waiting to be written.</summary>
    public int PendingPoints => _points.PointCount;

    /// <summary>Last InfluxDB error, or null after a successful write.</summary>
    public string? LastWriteError { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = mqttOptions.Value;
        _processor = new SampleBatchProcessor(_options, directory, time);
        _rejects = new RejectRecorder(_options, mqtt.ClientId);
        _parked = new ParkedMessages(_options.MaxParkedMessages);

        await EnsureDatabaseAsync(stoppingToken);
        await using var connection = MqttConnection.Start(mqtt, logger);
        Connection = connection;
        // Births first: on a new session the retained births are queued to us before any sample of the shared subscription.
        await connection.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
        await connection.SubscribeAsync($"$share/{_options.SharedGroup}/{FieldlabTopic.AllRigs(TopicChannel.Samples)}", MqttQos.AtLeastOnce, stoppingToken);
        LogStarted(mqtt.ClientId, _options.SharedGroup);
        try
        {
            await ConsumeAsync(connection, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is pending, within a bound.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await FlushAsync(connection, drain.Token);
            }
            catch (OperationCanceledException)
            {
                LogShutdownUnflushed(_points.PointCount);
            }
        }
    }

    private async Task ConsumeAsync(MqttConnection connection, CancellationToken stoppingToken)
    {
        var reader = connection.Messages;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (reader.TryRead(out var message))
            {
                await HandleAsync(connection, message, stoppingToken);
                if (_points.PointCount >= _options.MaxBatchPoints) await FlushAsync(connection, stoppingToken);
                continue;
            }
            await ExpireParkedAsync(connection, stoppingToken);
            var wait = _points.PointCount > 0
                ? _options.MaxBatchDelay - time.GetElapsedTime(_batchStartedTimestamp)
                : TimeSpan.FromSeconds(1);
            if (wait <= TimeSpan.Zero)
            {
                await FlushAsync(connection, stoppingToken);
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // Deadline passed: loop round to flush or expire.
            }
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task HandleAsync(MqttConnection connection, MqttMessage message, CancellationToken cancellationToken)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var topicError))
        {
            counters.MessageReceived();
            await QuarantineAsync(connection, _processor.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, topicError!, 0), cancellationToken);
            return;
        }
        switch (topic.Channel)
        {
            case TopicChannel.Birth:
                if (!directory.TryApply(message, out _, out var birthError))
                {
                    await QuarantineAsync(connection, _processor.Reject(message, time.GetUtcNow(), RejectReasons.InvalidBirth, birthError!, 0), cancellationToken);
                    return;
                }
                foreach (var (parkedTopic, parked) in _parked.TakeRig(topic.Rig)) await ProcessSamplesAsync(connection, parkedTopic, parked, cancellationToken);
                return;
            case TopicChannel.Samples:
                counters.MessageReceived();
                await ProcessSamplesAsync(connection, topic, message, cancellationToken);
                return;
            default:
                return;
        }
    }

    private async Task ProcessSamplesAsync(MqttConnection connection, FieldlabTopic topic, MqttMessage message, CancellationToken cancellationToken)
    {
        if (_points.PointCount == 0) _batchStartedTimestamp = time.GetTimestamp();
        var outcome = _processor.Process(topic, message, _points);
        if (outcome.Verdict == BatchVerdict.AwaitingBirth)
        {
            if (_parked.Park(topic, message, time.GetUtcNow()) is { } evicted) await RejectUnknownRigAsync(connection, evicted, "too many messages waiting for births", cancellationToken);
            return;
        }
        _rowsPending += outcome.RowsWritten;
        if (outcome.RowsWritten > 0) counters.BatchAccepted();
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
        return QuarantineAsync(connection, _processor.Reject(message, time.GetUtcNow(), RejectReasons.UnknownRig,
            $"no birth message is known for this rig ({why}); publish fieldlab/{{site}}/{{rig}}/birth first", count), cancellationToken);
    }

    private async Task QuarantineAsync(MqttConnection connection, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        var letter = outcome.DeadLetter!;
        if (outcome.Verdict == BatchVerdict.Rejected && outcome.RowsWritten == 0) counters.MessageRejected(outcome.RowsRejected);
        else counters.RowsQuarantined(outcome.RowsRejected);
        if (_points.PointCount == 0) _batchStartedTimestamp = time.GetTimestamp();
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
        if (_points.PointCount == 0) return;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var started = time.GetTimestamp();
            try
            {
                await influx.WriteAsync(_points.WrittenMemory, cancellationToken);
                counters.WriteSucceeded(_rowsPending, time.GetElapsedTime(started), time.GetUtcNow());
                LastWriteError = null;
                break;
            }
            catch (InfluxWriteRejectedException e)
            {
                // InfluxDB 1.x stores the valid points of a batch and drops the conflicting ones ("partial write").
                counters.WriteSucceeded(_rowsPending, time.GetElapsedTime(started), time.GetUtcNow());
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
        _points.Clear();
        _rowsPending = 0;
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await influx.EnsureDatabaseAsync(cancellationToken);
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

    [LoggerMessage(2007, LogLevel.Error, "Shutdown before {Points} pending points were written.")]
    private partial void LogShutdownUnflushed(int points);
}
