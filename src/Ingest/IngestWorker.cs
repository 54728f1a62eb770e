using System.Threading.Channels;
using Fieldlab.Ingest.ConditionMonitoring;
using Fieldlab.Ingest.Confirmation;
using Fieldlab.Ingest.Consumption;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Quarantine;
using Fieldlab.Ingest.Storage;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest;

/// <summary>The ingest loop: takes messages from the two lanes (<see cref="IngestLanes"/>), lets the
/// <see cref="MessageRouter"/> put each where it belongs, and hands full or old batches to the <see cref="BatchWriter"/>,
/// which stores them (or spools them while InfluxDB is away), then confirms them to the gateways and acknowledges their
/// deliveries to the broker. Invalid input is quarantined, kept whole, and can be replayed.</summary>
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
    private volatile MessageRouter? _router;
    private volatile FillingBatch? _filling;
    private volatile IngestLanes? _lanes;

    /// <summary>The live-lane connection, while connected.</summary>
    public MqttConnection? Connection => _lanes?.Live;

    /// <summary>The backlog-lane connection, while connected.</summary>
    public MqttConnection? BacklogConnection => _lanes?.Backlog;

    /// <summary>The write stage, once started.</summary>
    public BatchWriter? Writer { get; private set; }

    /// <summary>Quarantined messages, once started.</summary>
    public QuarantineStore? Quarantine { get; private set; }

    /// <summary>True while consumption is paused because the spool is full.</summary>
    public bool Paused { get; private set; }

    /// <summary>True when ingest acknowledges each QoS 1 message only once it is stored (the client library allows it).</summary>
    public bool AcknowledgesAfterStorage { get; private set; }

    /// <summary>Messages waiting for their rig's birth.</summary>
    public int ParkedCount => _router?.ParkedCount ?? 0;

    /// <summary>Points in the batch being filled.</summary>
    public int PendingPoints => _filling?.Batch.PointCount ?? 0;

    /// <summary>Last InfluxDB error, or null after a successful write.</summary>
    public string? LastWriteError => Writer?.LastError;

    /// <summary>Processes quarantined messages matching the filters again (on the consuming loop, like fresh messages).</summary>
    public async Task<ReplayResult> ReplayQuarantineAsync(string? reason, string? site, string? rig, string? id, CancellationToken cancellationToken)
    {
        var request = new ReplayRequest(new QuarantineFilter(reason, site, rig, id));
        await _replays.Writer.WriteAsync(request, cancellationToken);
        return await request.Done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = ConsumerOptions(mqttOptions.Value);
        AcknowledgesAfterStorage = mqtt.ManualAcknowledgement;
        if (!AcknowledgesAfterStorage) LogAutoAcknowledged(mqtt.Library.ToString());
        var quarantine = new QuarantineStore(_options.QuarantineDirectory ?? Path.Combine("quarantine", mqtt.ClientId), (long)(_options.QuarantineMaxMb * 1024 * 1024), logger);
        var spool = new WriteSpool(_options.SpoolDirectory ?? Path.Combine("spool", mqtt.ClientId), (long)(_options.SpoolMaxMb * 1024 * 1024), logger);
        var database = new IngestDatabase(influx, _options, time, logger);
        var writer = new BatchWriter(influx, spool, counters, time, logger, _options.Writers)
        {
            RawRetentionPolicy = WaveformRetentionPolicy,
            RecreateDatabase = _options.ProvisionDatabase ? database.EnsureAsync : null,
            Watermarks = watermarks,
        };
        Quarantine = quarantine;
        Writer = writer;
        var router = new MessageRouter(_options, directory, watermarks, counters, quarantine, new ModelFeed(directory, monitor), mqtt.ClientId, time, logger);
        _router = router;

        if (_options.ProvisionDatabase) await database.EnsureAsync(stoppingToken);
        using var writing = new CancellationTokenSource();
        var writerTask = writer.RunAsync(writing.Token);
        var filling = new FillingBatch(await writer.RentAsync(stoppingToken), time);
        _filling = filling;
        using var consumingStopped = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            var consuming = ConsumeUntilStoppedAsync(mqtt, router, filling, writer, consumingStopped.Token);
            // The writer runs as long as the consumer; if it ends first it failed, and the service fails with it
            // (health red, non-zero exit) instead of consuming into a queue nobody writes.
            if (await Task.WhenAny(consuming, writerTask) == writerTask)
            {
                await consumingStopped.CancelAsync();
                await ObserveEndAsync(consuming);
                await writerTask; // throws the writer's failure
                throw new InvalidOperationException("The InfluxDB writer stopped while ingest was consuming.");
            }
            await consuming;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // A supervisor (systemd, compose) restarts a process that exits non-zero; the host alone would exit 0.
            Environment.ExitCode = 70;
            LogFailed(e);
            throw;
        }
        finally
        {
            // Hand the last batch over; what the writer cannot store in time goes to the spool. What is neither stored nor
            // spooled was not acknowledged, so the broker sends it again.
            if (!writerTask.IsCompleted)
            {
                if (!filling.Batch.IsEmpty) await writer.SubmitAsync(filling.Batch, CancellationToken.None);
                writer.Complete();
                writing.CancelAfter(TimeSpan.FromSeconds(10));
                await writerTask;
            }
        }
    }

    // Ingest acknowledges after storage wherever the client library lets it.
    private static MqttConnectionOptions ConsumerOptions(MqttConnectionOptions configured)
    {
        var options = configured.WithClientId(configured.ClientId);
        options.ManualAcknowledgement = configured.Library != MqttClientLibrary.Libmosquitto;
        return options;
    }

    // The consumer's own failure is not the one to report when the writer failed first; it must not go unobserved either.
    private async Task ObserveEndAsync(Task consuming)
    {
        try
        {
            await consuming;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogConsumerEnded(e.Message);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by us.
        }
    }

    private async Task ConsumeUntilStoppedAsync(MqttConnectionOptions mqtt, MessageRouter router, FillingBatch filling, BatchWriter writer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await WhileSpoolFullAsync(writer.Spool, stoppingToken);
            await using var lanes = await IngestLanes.OpenAsync(mqtt, _options, logger, stoppingToken);
            _lanes = lanes;
            writer.Acknowledger = lanes.Live;
            try
            {
                LogStarted(mqtt.ClientId, _options.SharedGroup);
                await ConsumeAsync(lanes, router, filling, writer, stoppingToken);
            }
            finally
            {
                writer.Acknowledger = null;
                _lanes = null;
            }
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

    // Returns when the spool filled up (the lanes are closed so that the broker queues meanwhile).
    private async Task ConsumeAsync(IngestLanes lanes, MessageRouter router, FillingBatch filling, BatchWriter writer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_replays.Reader.TryRead(out var replay))
            {
                await ReplayAsync(replay, router, filling, lanes.Live, writer, stoppingToken);
                continue;
            }
            if (lanes.TryNext(out var received))
            {
                router.Handle(received, filling, lanes.Live);
                if (filling.Batch.PointCount >= _options.MaxBatchPoints && await FlushAsync(filling, writer, stoppingToken)) return;
                continue;
            }
            router.ExpireParked(filling, lanes.Live);
            var wait = filling.Batch.IsEmpty ? TimeSpan.FromSeconds(1) : _options.MaxBatchDelay - filling.Age;
            if (wait <= TimeSpan.Zero)
            {
                if (await FlushAsync(filling, writer, stoppingToken)) return;
                continue;
            }
            await lanes.WaitAsync(wait, _replays.Reader.WaitToReadAsync, stoppingToken);
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Hands the batch to the writer; returns true when the spool is full and consumption must pause.</summary>
    private static async Task<bool> FlushAsync(FillingBatch filling, BatchWriter writer, CancellationToken cancellationToken)
    {
        if (filling.Batch.IsEmpty) return false;
        await writer.SubmitAsync(filling.Batch, cancellationToken);
        filling.Replace(await writer.RentAsync(cancellationToken));
        return writer.Spool.IsFull;
    }

    private async Task ReplayAsync(ReplayRequest request, MessageRouter router, FillingBatch filling, MqttConnection notices, BatchWriter writer, CancellationToken cancellationToken)
    {
        var full = new List<PointBatch>();
        var (replayed, accepted) = router.Replay(request.Filter, filling, notices, f =>
        {
            // Replay runs synchronously on the loop; full batches are swapped for empty spares and handed over after.
            full.Add(f.Batch);
            f.Replace(new PointBatch());
        });
        foreach (var batch in full) await writer.SubmitAsync(batch, cancellationToken);
        request.Done.TrySetResult(new ReplayResult(replayed, accepted, replayed - accepted));
    }

    /// <summary>A request to process quarantined messages again.</summary>
    private sealed record ReplayRequest(QuarantineFilter Filter)
    {
        public TaskCompletionSource<ReplayResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(2001, LogLevel.Information, "Ingest {ClientId} consuming in shared group '{Group}'.")]
    private partial void LogStarted(string clientId, string group);

    [LoggerMessage(2009, LogLevel.Error, "Spool full ({Bytes} bytes): consumption paused; the broker queues for ingest's sessions meanwhile.")]
    private partial void LogPaused(long bytes);

    [LoggerMessage(2010, LogLevel.Information, "Spool down to {Bytes} bytes: consuming again.")]
    private partial void LogResumed(long bytes);

    [LoggerMessage(2013, LogLevel.Warning, "The MQTT client library {Library} acknowledges messages before they are stored: a QoS 1 message from a publisher without an outbox can be lost if ingest dies between receiving and storing it (docs/reliability.md).")]
    private partial void LogAutoAcknowledged(string library);

    [LoggerMessage(2014, LogLevel.Critical, "Ingest stops.")]
    private partial void LogFailed(Exception error);

    [LoggerMessage(2015, LogLevel.Warning, "The consumer ended after the writer failed: {Reason}")]
    private partial void LogConsumerEnded(string reason);
}

/// <summary>What a quarantine replay did.</summary>
public sealed record ReplayResult(int Replayed, int Accepted, int RejectedAgain);
