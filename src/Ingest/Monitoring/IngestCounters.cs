namespace Fieldlab.Ingest.Monitoring;

/// <summary>The ingest service's own counters and latency histograms, for <c>/metrics</c> and the <c>ingest_stats</c>
/// measurement. Thread-safe.</summary>
public sealed class IngestCounters
{
    private long _messages;
    private long _batchesAccepted;
    private long _rowsStored;
    private long _rowsRejected;
    private long _messagesRejected;
    private long _writes;
    private long _writeFailures;
    private long _pointsWritten;
    private long _lastWriteMicros;

    /// <summary>Write time minus row time of every stored live-lane row: the end-to-end latency as a publisher stamps it.</summary>
    public LatencyHistogram Lag { get; } = new();

    /// <summary>Duration of each successful InfluxDB write.</summary>
    public LatencyHistogram WriteLatency { get; } = new();

    /// <summary>Data messages received (samples, waveforms, truth).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages with at least one stored row.</summary>
    public long BatchesAccepted => Interlocked.Read(ref _batchesAccepted);

    /// <summary>Rows confirmed written to InfluxDB.</summary>
    public long RowsStored => Interlocked.Read(ref _rowsStored);

    /// <summary>Rows quarantined.</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    /// <summary>Messages rejected as a whole.</summary>
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    /// <summary>Successful writes to InfluxDB.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Failed write attempts (retried, or spooled).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Points written so far (samples, features, truth, rejects, health).</summary>
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);

    /// <summary>Duration of the last successful write.</summary>
    public TimeSpan LastWriteLatency => TimeSpan.FromMicroseconds(Interlocked.Read(ref _lastWriteMicros));

    internal void MessageReceived() => Interlocked.Increment(ref _messages);
    internal void BatchAccepted() => Interlocked.Increment(ref _batchesAccepted);
    internal void MessageRejected(int rows) { Interlocked.Increment(ref _messagesRejected); Interlocked.Add(ref _rowsRejected, rows); }
    internal void RowsQuarantined(int rows) => Interlocked.Add(ref _rowsRejected, rows);
    internal void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    internal void WriteSucceeded(int rows, int points, TimeSpan latency)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _rowsStored, rows);
        Interlocked.Add(ref _pointsWritten, points);
        Interlocked.Exchange(ref _lastWriteMicros, (long)latency.TotalMicroseconds);
        WriteLatency.Add(latency.TotalMilliseconds);
    }

    /// <summary>Clears the latency histograms (benchmarks measure one phase at a time).</summary>
    public void ResetLatencies()
    {
        Lag.Reset();
        WriteLatency.Reset();
    }
}
