using System.Threading.Channels;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Storage;

/// <summary>The write stage of ingest: takes finished batches (as many waiting as there are writers, so consuming and
/// writing overlap), writes them to InfluxDB with several requests in flight, and only then confirms their sequence
/// ranges to the gateways and acknowledges their MQTT deliveries to the broker. When InfluxDB does not answer, batches go
/// to the <see cref="WriteSpool"/> (and every later batch too, to keep their order) and a drain loop writes them back as
/// soon as it answers again.</summary>
/// <remarks>
/// Every failure class has one outcome (docs/reliability.md, "Ingest's writer"):
/// unreachable, 5xx, 429/503, timeout, 401/403, 404 → spool and retry, health names the reason;
/// 400 "partial write" → stored (InfluxDB kept the valid points), reported;
/// 400 for the whole request → the batch is kept under the spool's <c>rejected/</c> with the reason, confirmed, acknowledged;
/// a spool I/O error (disk full) → the batch is held, neither stored nor acknowledged, and retried with backoff while
/// health is red (consumption waits behind the bounded queue, so the broker keeps the rest);
/// anything else → the writer stops, the queue is closed with the error, and ingest fails (red health, non-zero exit).
/// </remarks>
public sealed partial class BatchWriter
{
    private readonly Channel<PointBatch> _queue;
    private readonly Channel<PointBatch> _free = Channel.CreateUnbounded<PointBatch>();
    private readonly int _writers;
    private readonly InfluxClient _influx;
    private readonly WriteSpool _spool;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _spooled = new(0);
    private volatile MqttConnection? _acknowledger;
    private volatile string? _spoolError;
    private volatile Exception? _fault;
    private long _deliveriesAcknowledged;
    private long _batchesRejected;

    /// <summary>Creates the stage with <paramref name="writers"/> concurrent writes (InfluxDB uses a core per request);
    /// call <see cref="RunAsync"/>.</summary>
    public BatchWriter(InfluxClient influx, WriteSpool spool, IngestCounters counters, TimeProvider time, ILogger logger, int writers = 2)
    {
        _writers = writers;
        _queue = Channel.CreateBounded<PointBatch>(new BoundedChannelOptions(writers) { SingleWriter = true });
        _influx = influx;
        _spool = spool;
        _counters = counters;
        _time = time;
        _logger = logger;
        // One batch per writer in flight, one waiting in the queue, one being filled.
        for (int i = 0; i < 2 * writers + 1; i++) _free.Writer.TryWrite(new PointBatch());
    }

    /// <summary>Retention policy of raw waveform frames.</summary>
    public string RawRetentionPolicy { get; init; } = Fieldlab.Telemetry.Schema.FieldlabSchema.WaveformRaw.Name;

    /// <summary>Retention policy of the samples.</summary>
    public string SamplesRetentionPolicy { get; init; } = Fieldlab.Telemetry.Schema.FieldlabSchema.SamplesRaw.Name;

    /// <summary>Called when InfluxDB says the database does not exist (someone dropped it): recreate it.</summary>
    public Func<CancellationToken, Task>? RecreateDatabase { get; init; }

    /// <summary>Last InfluxDB error, or null after a successful write.</summary>
    public string? LastError { get; private set; }

    /// <summary>The spool's last I/O error while a batch is held for it, or null.</summary>
    public string? SpoolError => _spoolError;

    /// <summary>The unexpected error that stopped the writer, or null while it runs.</summary>
    public Exception? Fault => _fault;

    /// <summary>MQTT deliveries acknowledged to the broker after their batch was durable.</summary>
    public long DeliveriesAcknowledged => Interlocked.Read(ref _deliveriesAcknowledged);

    /// <summary>Batches InfluxDB refused as a whole, kept under the spool's <c>rejected/</c>.</summary>
    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);

    /// <summary>First wait before a held batch is tried again after a spool I/O error; doubles up to 5 s.</summary>
    public TimeSpan SpoolRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The stored-through watermarks the written ranges feed, if any.</summary>
    public Confirmation.StoredWatermarks? Watermarks { get; init; }

    /// <summary>The spool.</summary>
    public WriteSpool Spool => _spool;

    /// <summary>The connection acknowledgements are published on (changes when ingest reconnects).</summary>
    public MqttConnection? Acknowledger
    {
        get => _acknowledger;
        set => _acknowledger = value;
    }

    /// <summary>An empty batch to fill (waits while all are in use: that is the backpressure on consuming).</summary>
    public ValueTask<PointBatch> RentAsync(CancellationToken cancellationToken) => _free.Reader.ReadAsync(cancellationToken);

    /// <summary>Hands a filled batch over for writing.</summary>
    public ValueTask SubmitAsync(PointBatch batch, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(batch, cancellationToken);

    /// <summary>No more batches will be submitted: the writers finish once the queue is empty (shutdown).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes submitted batches and drains the spool until <see cref="Complete"/> was called and the queue is
    /// empty, or until cancelled; then spools what was still handed over. A writer that fails for an unexpected reason
    /// fails this task (the caller stops the service: a dead writer must not go unnoticed).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopDrain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drain = DrainAsync(stopDrain.Token);
        var writers = Enumerable.Range(0, _writers).Select(_ => Task.Run(() => WriteLoopAsync(cancellationToken), CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(writers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: what is left goes to the spool below.
        }
        catch (ChannelClosedException) when (_fault is not null)
        {
            // The other writers saw the queue closed by the failed one: its error is the one to report.
            throw new InvalidOperationException($"An InfluxDB writer failed: {_fault.Message}", _fault);
        }
        finally
        {
            await stopDrain.CancelAsync();
            await drain.ContinueWith(_ => { }, TaskScheduler.Default);
            // What is still queued goes to the spool, so a stopped ingest loses nothing that was handed over.
            while (_queue.Reader.TryRead(out var batch))
            {
                try
                {
                    if (!batch.IsEmpty)
                    {
                        _spool.Append(batch);
                        Acknowledged(batch);
                    }
                }
                catch (IOException e)
                {
                    // Not durable, so not acknowledged: the broker sends these messages again to the next session.
                    LogSpoolFailed(e.Message);
                }
                Recycle(batch);
            }
        }
        if (_fault is { } fault) throw new InvalidOperationException($"An InfluxDB writer failed: {fault.Message}", fault);
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(cancellationToken)) await WriteOrSpoolAsync(batch, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ChannelClosedException)
        {
            // A bug or an unforeseen failure: never a silently dead writer. Closing the queue with the error stops the
            // other writers and makes the consumer's next hand-over throw, so ingest fails with red health instead of
            // blocking on a queue nobody reads.
            _fault = e;
            LogWriterFailed(e);
            _queue.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task WriteOrSpoolAsync(PointBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            if (batch.IsEmpty) return;
            // While older batches wait in the spool, newer ones queue behind them: order is kept, memory stays flat.
            if (_spool.Count == 0 && await TryWriteAsync(batch, cancellationToken)) return;
            await SpoolAsync(batch, cancellationToken);
        }
        finally
        {
            Recycle(batch);
        }
    }

    // True when the batch is done (stored, or kept as rejected); false when it must go to the spool.
    private async Task<bool> TryWriteAsync(PointBatch batch, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            await WriteAsync(batch.Points.WrittenMemory, batch.Samples.WrittenMemory, batch.Raw.WrittenMemory, cancellationToken);
        }
        catch (InfluxWriteRejectedException e)
        {
            // Nothing of the request was stored and the same body would fail the same way: keep it aside with the
            // reason, and let the gateways move on (their rows are kept, not lost silently).
            var path = _spool.Reject(batch, e.Message);
            Interlocked.Increment(ref _batchesRejected);
            _counters.WriteFailed();
            LastError = $"InfluxDB refused a whole batch (kept in {path}): {e.Message}";
            LogBatchRejected(path, e.Message);
            await ConfirmAsync(batch.Acks.Take(), cancellationToken);
            Acknowledged(batch);
            return true;
        }
        catch (InfluxException e)
        {
            // Unreachable, missing database, or refused credentials (a rotated password): the batch waits in the
            // spool and health turns red with the reason; the writer itself goes on.
            _counters.WriteFailed();
            LastError = Explain(e);
            LogSpooling(LastError);
            return false;
        }
        Stored(batch.Rows, batch.PointCount, _time.GetElapsedTime(started));
        foreach (var t in batch.LiveRowTimes) _counters.Lag.Add((UtcTimestamp.ToNanoseconds(_time.GetUtcNow()) - t) / 1e6);
        await ConfirmAsync(batch.Acks.Take(), cancellationToken);
        Acknowledged(batch);
        return true;
    }

    // The spool is the durable fallback. When its disk fails (full, I/O error) the batch is held here — not stored, not
    // acknowledged — and tried again, InfluxDB first, until one of them takes it; health is red meanwhile.
    private async Task SpoolAsync(PointBatch batch, CancellationToken cancellationToken)
    {
        var backoff = SpoolRetryDelay;
        while (true)
        {
            try
            {
                _spool.Append(batch);
                _spoolError = null;
                Acknowledged(batch);
                _spooled.Release();
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _spoolError = $"the spool cannot store a batch ({e.Message}); holding it, not acknowledged, and retrying";
                LogSpoolFailed(e.Message);
            }
            await Task.Delay(backoff, _time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            if (_spool.Count == 0 && await TryWriteAsync(batch, cancellationToken))
            {
                _spoolError = null;
                return;
            }
        }
    }

    private void Acknowledged(PointBatch batch) => Interlocked.Add(ref _deliveriesAcknowledged, batch.AcknowledgeDeliveries());

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DrainSpoolAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Same rule as a writer: a dead drain loop would leave the spool growing unnoticed.
            _fault = e;
            LogWriterFailed(e);
            _queue.Writer.TryComplete(e);
        }
    }

    private async Task DrainSpoolAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = _spool.Peek();
            if (batch is null)
            {
                await _spooled.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            try
            {
                var started = _time.GetTimestamp();
                await WriteAsync(batch.Points, batch.Samples, batch.Raw, cancellationToken);
                Stored(batch.Rows, 0, _time.GetElapsedTime(started));
                _spool.Remove(batch.Index);
                await ConfirmAsync([.. batch.Acks.Select(a => (new RigAddress(a.Site, a.Rig), a.ToAck()))], cancellationToken);
                backoff = TimeSpan.FromMilliseconds(200);
                if (_spool.Count == 0) LogDrained();
            }
            catch (InfluxWriteRejectedException e)
            {
                // Refused as a whole: draining it again cannot help. Set aside like a fresh batch refused so.
                var path = _spool.RejectSpooled(batch.Index, e.Message);
                Interlocked.Increment(ref _batchesRejected);
                _counters.WriteFailed();
                LastError = $"InfluxDB refused a whole batch (kept in {path}): {e.Message}";
                LogBatchRejected(path, e.Message);
                await ConfirmAsync([.. batch.Acks.Select(a => (new RigAddress(a.Site, a.Rig), a.ToAck()))], cancellationToken);
            }
            catch (InfluxException e)
            {
                _counters.WriteFailed();
                LastError = Explain(e);
                if (e.StatusCode == 404 && RecreateDatabase is not null) await RecreateDatabase(cancellationToken);
                await Task.Delay(backoff, _time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> points, ReadOnlyMemory<byte> samples, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        try
        {
            if (!points.IsEmpty) await _influx.WriteAsync(points, _influx.Options.Database, _influx.Options.RetentionPolicy, cancellationToken);
            if (!samples.IsEmpty) await _influx.WriteAsync(samples, _influx.Options.Database, SamplesRetentionPolicy, cancellationToken);
            if (!raw.IsEmpty) await _influx.WriteAsync(raw, _influx.Options.Database, RawRetentionPolicy, cancellationToken);
            LastError = null;
        }
        catch (InfluxWriteRejectedException e) when (e.IsPartial)
        {
            // InfluxDB 1.x stores the valid points of a batch and drops the conflicting ones ("partial write"):
            // retrying cannot change that, so the batch counts as written and the conflict is reported.
            LastError = e.Message;
            LogRejected(e.Message);
        }
    }

    private static string Explain(InfluxException e) => e.StatusCode switch
    {
        401 => $"InfluxDB refused ingest's credentials (HTTP 401; wrong or rotated password, see docs/access.md): {e.Message}",
        403 => $"InfluxDB refused ingest's writes (HTTP 403; the user lacks WRITE on the database): {e.Message}",
        404 => $"InfluxDB has no such database (HTTP 404; provision it): {e.Message}",
        _ => e.Message,
    };

    private void Stored(int rows, int points, TimeSpan latency) => _counters.WriteSucceeded(rows, points, latency);

    // InfluxDB has accepted the ranges: they move the stored-through watermarks and are confirmed to the gateways.
    private Task ConfirmAsync(List<(RigAddress Rig, Acknowledgement Ack)> acks, CancellationToken cancellationToken)
    {
        Watermarks?.Stored(acks);
        return AcknowledgeAsync(acks, cancellationToken);
    }

    private async Task AcknowledgeAsync(IEnumerable<(RigAddress Rig, Acknowledgement Ack)> acks, CancellationToken cancellationToken)
    {
        var connection = _acknowledger;
        foreach (var (rig, ack) in acks)
        {
            if (connection is null) return;
            // An unconfirmed batch is sent again by its gateway and stored once more, idempotently: nothing is lost. A
            // failed delivery is logged and counted by the connection.
            if (!connection.TryPublish(FieldlabTopic.For(rig, TopicChannel.Ack), WireJson.Encode(ack), MqttQos.AtLeastOnce, retain: false))
                LogAckNotPublished(rig.ToString(), "the connection's publish queue is full or closed");
        }
    }

    private void Recycle(PointBatch batch)
    {
        batch.Clear();
        _free.Writer.TryWrite(batch);
    }

    [LoggerMessage(2201, LogLevel.Warning, "InfluxDB write failed ({Reason}); batches go to the spool until it answers.")]
    private partial void LogSpooling(string reason);

    [LoggerMessage(2202, LogLevel.Information, "Spool drained into InfluxDB.")]
    private partial void LogDrained();

    [LoggerMessage(2203, LogLevel.Error, "InfluxDB rejected part of a batch: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(2205, LogLevel.Error, "InfluxDB refused a whole batch; kept in {Path}: {Reason}")]
    private partial void LogBatchRejected(string path, string reason);

    [LoggerMessage(2206, LogLevel.Error, "The spool cannot store a batch: {Reason}. Holding it (not acknowledged) and retrying.")]
    private partial void LogSpoolFailed(string reason);

    [LoggerMessage(2207, LogLevel.Critical, "An InfluxDB writer failed unexpectedly; ingest stops.")]
    private partial void LogWriterFailed(Exception error);

    [LoggerMessage(2204, LogLevel.Warning, "Acknowledgement to {Rig} not published: {Reason}")]
    private partial void LogAckNotPublished(string rig, string reason);
}
