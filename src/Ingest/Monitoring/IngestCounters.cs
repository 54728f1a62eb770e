namespace Fieldlab.Ingest.Monitoring;

/// <summary>The ingest service's own counters, for the health/metrics endpoint and the platform dashboard.</summary>
public sealed class IngestCounters
{
    private long _messages;
    private long _batchesAccepted;
    private long _rowsStored;
    private long _rowsRejected;
    private long _messagesRejected;
    private long _writes;
    private long _writeFailures;
    private long _lastWriteMicros;
    private long _lastWriteUnixMs;

    /// <summary>Sample messages received.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Sample messages with at least one stored row.</summary>
    public long BatchesAccepted => Interlocked.Read(ref _batchesAccepted);

    /// <summary>Rows confirmed written to InfluxDB.</summary>
    public long RowsStored => Interlocked.Read(ref _rowsStored);

    /// <summary>Rows quarantined (inside otherwise accepted batches or with a rejected message).</summary>
    public long RowsRejected => Interlocked.Read(ref _rowsRejected);

    /// <summary>Messages rejected as a whole.</summary>
    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    /// <summary>Successful writes to InfluxDB.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Failed write attempts (each retried until it succeeds).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Duration of the last successful write.</summary>
    public TimeSpan LastWriteLatency => TimeSpan.FromMicroseconds(Interlocked.Read(ref _lastWriteMicros));

    /// <summary>When the last write succeeded (Unix ms), 0 if never.</summary>
    public long LastWriteUnixMs => Interlocked.Read(ref _lastWriteUnixMs);

    internal void MessageReceived() => Interlocked.Increment(ref _messages);
    internal void BatchAccepted() => Interlocked.Increment(ref _batchesAccepted);
    internal void MessageRejected(int rows) { Interlocked.Increment(ref _messagesRejected); Interlocked.Add(ref _rowsRejected, rows); }
    internal void RowsQuarantined(int rows) => Interlocked.Add(ref _rowsRejected, rows);
    internal void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    internal void WriteSucceeded(int rows, TimeSpan latency, DateTimeOffset now)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _rowsStored, rows);
        Interlocked.Exchange(ref _lastWriteMicros, (long)latency.TotalMicroseconds);
        Interlocked.Exchange(ref _lastWriteUnixMs, now.ToUnixTimeMilliseconds());
    }
}
