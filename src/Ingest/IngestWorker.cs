using System.Threading.Channels;
using Fieldlab.Ingest.ConditionMonitoring;
using Fieldlab.Ingest.Confirmation;
using Fieldlab.Ingest.Gateways;
using Fieldlab.Ingest.GroundTruth;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Quarantine;
using Fieldlab.Ingest.Samples;
using Fieldlab.Ingest.Storage;
using Fieldlab.Ingest.Waveforms;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest;

/// <summary>The ingest loop: consumes the live lane and, beside it, the backlog lane (two persistent shared subscriptions
/// on two connections, live first), turns every message into points in a batch, and hands full or old batches to the
/// <see cref="BatchWriter"/>, which stores them (or spools them while InfluxDB is away) and then confirms them to the
/// gateways. Invalid input is quarantined, kept whole, and can be replayed.</summary>
public sealed partial class IngestWorker(
    IOptions<MqttConnectionOptions> mqttOptions,
    IOptions<IngestOptions> ingestOptions,
    InfluxClient influx,
    RigDirectory directory,
    IngestCounters counters,
    ConditionMonitor monitor,
    StoredWatermarks watermarks,
    TimeProvider time,
    ILogger<IngestWorker> logger) : BackgroundService
{
    /// <summary>Retention policy of raw waveform frames.</summary>
    public static readonly string WaveformRetentionPolicy = InfluxDatabaseSetup.WaveformRetentionPolicy;

    private readonly IngestOptions _options = ingestOptions.Value;
    private readonly Channel<ReplayRequest> _replays = Channel.CreateUnbounded<ReplayRequest>();
    private SampleBatchProcessor _samples = null!;
    private WaveformProcessor _waveforms = null!;
    private TruthRecorder _truth = null!;
    private RejectRecorder _rejects = null!;
    private ParkedMessages _parked = null!;
    private PointBatch _batch = null!;
    private long _batchStartedTimestamp;
    private int _liveStreak;

    /// <summary>The live-lane connection, while connected.</summary>
    public MqttConnection? Connection { get; private set; }

    /// <summary>The backlog-lane connection, while connected.</summary>
    public MqttConnection? BacklogConnection { get; private set; }

    /// <summary>The write stage, once started.</summary>
    public BatchWriter? Writer { get; private set; }

    /// <summary>Quarantined messages, once started.</summary>
    public QuarantineStore? Quarantine { get; private set; }

    /// <summary>True while consumption is paused because the spool is full.</summary>
    public bool Paused { get; private set; }

    /// <summary>Messages waiting for their rig's birth.</summary>
    public int ParkedCount => _parked?.Count ?? 0;

    /// <summary>Points in the batch being filled.</summary>
    public int PendingPoints => _batch?.PointCount ?? 0;

    /// <summary>Last InfluxDB error, or null after a successful write.</summary>
    public string? LastWriteError => Writer?.LastError;

    /// <summary>Processes quarantined messages matching the filters again (on the consuming loop, like fresh messages).</summary>
    public async Task<ReplayResult> ReplayQuarantineAsync(string? reason, string? site, string? rig, string? id, CancellationToken cancellationToken)
    {
        var request = new ReplayRequest(reason, site, rig, id);
        await _replays.Writer.WriteAsync(request, cancellationToken);
        return await request.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = mqttOptions.Value;
        _samples = new SampleBatchProcessor(_options, directory, time);
        _waveforms = new WaveformProcessor(_options, directory, time);
        _truth = new TruthRecorder(_samples, time);
        _rejects = new RejectRecorder(mqtt.ClientId);
        _parked = new ParkedMessages(_options.MaxParkedMessages);
        Quarantine = new QuarantineStore(_options.QuarantineDirectory ?? Path.Combine("quarantine", mqtt.ClientId), (long)(_options.QuarantineMaxMb * 1024 * 1024), logger);
        var spool = new WriteSpool(_options.SpoolDirectory ?? Path.Combine("spool", mqtt.ClientId), (long)(_options.SpoolMaxMb * 1024 * 1024), logger);
        var writer = new BatchWriter(influx, spool, counters, time, logger, _options.Writers)
        {
            RawRetentionPolicy = WaveformRetentionPolicy,
            RecreateDatabase = _options.ProvisionDatabase ? EnsureDatabaseAsync : null,
            Watermarks = watermarks,
        };
        Writer = writer;

        if (_options.ProvisionDatabase) await EnsureDatabaseAsync(stoppingToken);
        using var writing = new CancellationTokenSource();
        var writerTask = writer.RunAsync(writing.Token);
        _batch = await writer.RentAsync(stoppingToken);
        using var consumingStopped = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            var consuming = ConsumeUntilStoppedAsync(mqtt, writer, spool, consumingStopped.Token);
            // The writer runs as long as the consumer; if it ends first it failed, and the service fails with it (its
            // health endpoint goes with the process) instead of consuming into a queue nobody writes.
            if (await Task.WhenAny(consuming, writerTask) == writerTask)
            {
                await consumingStopped.CancelAsync();
                await consuming.ContinueWith(_ => { }, TaskScheduler.Default);
                await writerTask; // throws the writer's failure
                throw new InvalidOperationException("The InfluxDB writer stopped while ingest was consuming.");
            }
            await consuming;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            // Hand the last batch over; what the writer cannot store in time goes to the spool. Unconfirmed data is
            // sent again by the gateways anyway.
            if (!writerTask.IsCompleted)
            {
                if (!_batch.IsEmpty) await writer.SubmitAsync(_batch, CancellationToken.None);
                writer.Complete();
                writing.CancelAfter(TimeSpan.FromSeconds(10));
                await writerTask;
            }
        }
    }

    private async Task ConsumeUntilStoppedAsync(MqttConnectionOptions mqtt, BatchWriter writer, WriteSpool spool, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await WhileSpoolFullAsync(spool, stoppingToken);
            await ConsumeConnectedAsync(mqtt, writer, spool, stoppingToken);
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task WhileSpoolFullAsync(WriteSpool spool, CancellationToken cancellationToken)
    {
        if (!spool.IsFull) return;
        Paused = true;
        LogPaused(spool.Bytes);
        while (spool.Bytes > (long)(_options.SpoolMaxMb * 1024 * 1024 * 0.75)) await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        Paused = false;
        LogResumed(spool.Bytes);
    }

    private async Task ConsumeConnectedAsync(MqttConnectionOptions mqtt, BatchWriter writer, WriteSpool spool, CancellationToken stoppingToken)
    {
        await using var live = MqttConnection.Start(mqtt, logger);
        await using var backlog = MqttConnection.Start(mqtt.ForConnection("-backlog"), logger);
        Connection = live;
        BacklogConnection = backlog;
        writer.Acknowledger = live;
        try
        {
            // Births first: on a new session the retained births are queued to us before any sample of the shared subscriptions.
            await live.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Birth), MqttQos.AtLeastOnce, stoppingToken);
            // Every replica reads every head (not shared): each keeps the watermarks of the ranges it stored itself.
            await live.SubscribeAsync(FieldlabTopic.AllRigs(TopicChannel.Head), MqttQos.AtLeastOnce, stoppingToken);
            foreach (var channel in new[] { TopicChannel.Samples, TopicChannel.Waveform, TopicChannel.Truth, TopicChannel.Health })
            {
                await live.SubscribeAsync($"$share/{_options.SharedGroup}/{FieldlabTopic.AllRigs(channel)}", MqttQos.AtLeastOnce, stoppingToken);
            }
            await backlog.SubscribeAsync($"$share/{_options.SharedGroup}/{FieldlabTopic.AllRigs(TopicChannel.Backlog)}", MqttQos.AtLeastOnce, stoppingToken);
            LogStarted(mqtt.ClientId, _options.SharedGroup);
            await ConsumeAsync(live, backlog, writer, spool, stoppingToken);
        }
        finally
        {
            writer.Acknowledger = null;
            Connection = null;
            BacklogConnection = null;
        }
    }

    private async Task ConsumeAsync(MqttConnection live, MqttConnection backlog, BatchWriter writer, WriteSpool spool, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_replays.Reader.TryRead(out var replay))
            {
                await ReplayAsync(live, replay, writer, stoppingToken);
                continue;
            }
            if (Next(live, backlog, out var message))
            {
                await HandleAsync(live, message, stoppingToken);
                if (_batch.PointCount >= _options.MaxBatchPoints && await FlushAsync(writer, spool, stoppingToken)) return;
                continue;
            }
            await ExpireParkedAsync(live, stoppingToken);
            var wait = _batch.IsEmpty ? TimeSpan.FromSeconds(1) : _options.MaxBatchDelay - time.GetElapsedTime(_batchStartedTimestamp);
            if (wait <= TimeSpan.Zero)
            {
                if (await FlushAsync(writer, spool, stoppingToken)) return;
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await Task.WhenAny(
                    live.Messages.WaitToReadAsync(timeout.Token).AsTask(),
                    backlog.Messages.WaitToReadAsync(timeout.Token).AsTask(),
                    _replays.Reader.WaitToReadAsync(timeout.Token).AsTask());
                await timeout.CancelAsync(); // release the other waiters
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

    /// <summary>Hands the batch to the writer; returns true when the spool is full and consumption must pause.</summary>
    private async Task<bool> FlushAsync(BatchWriter writer, WriteSpool spool, CancellationToken cancellationToken)
    {
        if (_batch.IsEmpty) return false;
        await writer.SubmitAsync(_batch, cancellationToken);
        _batch = await writer.RentAsync(cancellationToken);
        return spool.IsFull;
    }

    private async Task HandleAsync(MqttConnection connection, MqttMessage message, CancellationToken cancellationToken)
    {
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out var topicError))
        {
            counters.MessageReceived();
            await QuarantineAsync(connection, message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, topicError!, 0), cancellationToken);
            return;
        }
        if (topic.Channel == TopicChannel.Birth)
        {
            if (!directory.TryApply(message, out _, out var birthError))
            {
                await QuarantineAsync(connection, message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidBirth, birthError!, 0), cancellationToken);
                return;
            }
            foreach (var (parkedTopic, parked) in _parked.TakeRig(topic.Rig)) await ProcessAsync(connection, parkedTopic, parked, cancellationToken);
            return;
        }
        if (topic.Channel == TopicChannel.Head)
        {
            // An empty retained message is how a head is deleted: nothing to learn from it.
            if (message.Payload.Length == 0) return;
            if (WireJson.TryDecodeHead(message.Payload, out var head, out var headError)) watermarks.Announced(topic.Rig, head!);
            else LogHeadIgnored(message.Topic, headError!);
            return;
        }
        if (topic.Carried == TopicChannel.Health)
        {
            Touch();
            GatewayHealthRecorder.Record(topic, message, _batch.Points);
            return;
        }
        counters.MessageReceived();
        await ProcessAsync(connection, topic, message, cancellationToken);
    }

    private async Task<BatchOutcome> ProcessAsync(MqttConnection connection, FieldlabTopic topic, MqttMessage message, CancellationToken cancellationToken)
    {
        Touch();
        bool liveLane = topic.Channel != TopicChannel.Backlog;
        var outcome = topic.Carried switch
        {
            TopicChannel.Samples => _samples.Process(topic, message, _batch.Samples, liveLane ? _batch.LiveRowTimes : null),
            TopicChannel.Waveform => _waveforms.Process(topic, message, _batch.Points, _batch.Raw),
            TopicChannel.Truth => _truth.Process(topic, message, _batch.Points),
            _ => _samples.Reject(message, time.GetUtcNow(), RejectReasons.InvalidTopic, $"ingest does not take {topic.Carried} messages", 0),
        };
        if (outcome.Verdict == BatchVerdict.AwaitingBirth)
        {
            if (_parked.Park(topic, message, time.GetUtcNow()) is { } evicted) await RejectUnknownRigAsync(connection, evicted, "too many messages waiting for births", cancellationToken);
            return outcome;
        }
        _batch.Rows += outcome.RowsWritten;
        if (outcome.RowsWritten > 0)
        {
            counters.BatchAccepted();
            if (liveLane) FeedModels(topic);
        }
        // Stored or quarantined, the range is handled once this batch is durable: confirm it then.
        if (outcome.Stream is not null) _batch.Acks.Add(topic.Rig, outcome.Stream, outcome.FirstSeq, outcome.Count);
        if (outcome.DeadLetter is not null) await QuarantineAsync(connection, message, outcome, cancellationToken);
        return outcome;
    }

    // Copies what was just stored for the condition-monitoring models, only for rig kinds that have models.
    private void FeedModels(FieldlabTopic topic)
    {
        if (!directory.TryGet(topic.Rig, out var entry) || entry.Birth is not { } birth || !monitor.Wants(birth.Kind)) return;
        if (topic.Carried == TopicChannel.Samples)
        {
            var batch = _samples.LastDecoded;
            var stream = birth.Streams.FirstOrDefault(s => s.Id == batch.Stream);
            if (stream is null) return;
            var sensors = stream.Sensors.Select(s => s.Id).ToArray();
            var column = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < sensors.Length; i++) column[sensors[i]] = i;
            var times = new List<long>(batch.RowCount);
            var rows = new List<double[]>(batch.RowCount);
            var values = batch.Values;
            var indexes = batch.SensorIndexes;
            for (int r = 0; r < batch.RowCount; r++)
            {
                if (batch.IsRowRejected(r)) continue;
                var row = new double[sensors.Length];
                Array.Fill(row, double.NaN);
                var range = batch.RowValues(r);
                for (int v = range.Start.Value; v < range.End.Value; v++)
                    if (column.TryGetValue(batch.SensorName(indexes[v]), out int c)) row[c] = values[v];
                times.Add(batch.RowTime(r));
                rows.Add(row);
            }
            if (rows.Count > 0) monitor.Offer(new ScalarRows(topic.Rig, birth.Kind, stream.Id, sensors, [.. times], [.. rows]));
        }
        else if (topic.Carried == TopicChannel.Waveform && monitor.WantsVibration(birth.Kind) && _waveforms.LastFrame is { } frame)
        {
            monitor.Offer(new VibrationFrame(topic.Rig, birth.Kind, frame));
        }
    }

    private async Task ReplayAsync(MqttConnection connection, ReplayRequest request, BatchWriter writer, CancellationToken cancellationToken)
    {
        int replayed = 0, accepted = 0;
        foreach (var (_, message) in Quarantine!.Take(request.Reason, request.Site, request.Rig, request.Id, limit: 10_000))
        {
            replayed++;
            FieldlabTopic.TryParse(message.Topic, out var topic, out _);
            var outcome = topic.Channel is TopicChannel.Samples or TopicChannel.Waveform or TopicChannel.Truth or TopicChannel.Backlog
                ? await ProcessAsync(connection, topic, message, cancellationToken)
                : default;
            if (outcome.Verdict is BatchVerdict.Stored or BatchVerdict.PartlyStored or BatchVerdict.AwaitingBirth) accepted++;
            if (_batch.PointCount >= _options.MaxBatchPoints) await FlushAsync(writer, writer.Spool, cancellationToken);
        }
        LogReplayed(replayed, accepted);
        request.Done.TrySetResult(new ReplayResult(replayed, accepted, replayed - accepted));
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
        return QuarantineAsync(connection, message, _samples.Reject(message, time.GetUtcNow(), RejectReasons.UnknownRig,
            $"no birth message is known for this rig ({why}); publish fieldlab/{{site}}/{{rig}}/birth first", count), cancellationToken);
    }

    private async Task QuarantineAsync(MqttConnection connection, MqttMessage message, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        var letter = outcome.DeadLetter!;
        if (outcome.Verdict == BatchVerdict.Rejected && outcome.RowsWritten == 0) counters.MessageRejected(outcome.RowsRejected, letter.Reason);
        else counters.RowsQuarantined(outcome.RowsRejected, letter.Reason);
        Touch();
        Quarantine!.Keep(message, letter);
        var (topic, payload) = _rejects.Record(letter, outcome.RowsRejected, _batch.Points);
        LogRejected(letter.Topic, letter.Reason, letter.Detail);
        // A notice: the kept message and the reject point are the durable record; a failed delivery is logged and
        // counted by the connection.
        if (!connection.TryPublish(topic, payload, MqttQos.AtLeastOnce, retain: false)) LogDeadLetterNotPublished("the connection's publish queue is full or closed");
    }

    private void Touch()
    {
        if (_batch.IsEmpty) _batchStartedTimestamp = time.GetTimestamp();
    }

    // Only with admin rights (an InfluxDB without authentication, or tests): otherwise provisioning is the operator's
    // (./fieldlab up) and ingest holds a write-only user.
    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await InfluxDatabaseSetup.EnsureAsync(influx, _options.Retention, cancellationToken);
                return;
            }
            catch (InfluxException e)
            {
                LogDatabaseUnavailable(e.Message);
                await Task.Delay(backoff, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>A request to process quarantined messages again.</summary>
    private sealed record ReplayRequest(string? Reason, string? Site, string? Rig, string? Id)
    {
        public TaskCompletionSource<ReplayResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(2001, LogLevel.Information, "Ingest {ClientId} consuming in shared group '{Group}'.")]
    private partial void LogStarted(string clientId, string group);

    [LoggerMessage(2002, LogLevel.Warning, "Quarantined a message from {Topic}: {Reason}: {Detail}")]
    private partial void LogRejected(string topic, string reason, string detail);

    [LoggerMessage(2005, LogLevel.Warning, "InfluxDB not ready: {Reason}")]
    private partial void LogDatabaseUnavailable(string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Dead letter not published: {Reason}")]
    private partial void LogDeadLetterNotPublished(string reason);

    [LoggerMessage(2009, LogLevel.Error, "Spool full ({Bytes} bytes): consumption paused; the broker queues for ingest's sessions meanwhile.")]
    private partial void LogPaused(long bytes);

    [LoggerMessage(2010, LogLevel.Information, "Spool down to {Bytes} bytes: consuming again.")]
    private partial void LogResumed(long bytes);

    [LoggerMessage(2012, LogLevel.Warning, "Ignored an invalid head announcement on {Topic}: {Error}")]
    private partial void LogHeadIgnored(string topic, string error);

    [LoggerMessage(2011, LogLevel.Information, "Quarantine replay: {Replayed} messages processed again, {Accepted} accepted.")]
    private partial void LogReplayed(int replayed, int accepted);
}

/// <summary>What a quarantine replay did.</summary>
public sealed record ReplayResult(int Replayed, int Accepted, int RejectedAgain);
