using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Fieldlab.Ingest.Monitoring;

/// <summary>The ingest service's own counters and latency histograms, for Prometheus (<c>/metrics</c>, instruments on
/// <see cref="IngestMeter"/>), the JSON view (<c>/stats</c>) and the <c>ingest_stats</c> measurement. Every counter and
/// histogram only grows: readers that want an interval take a <see cref="LatencyWindow"/> or a difference. Thread-safe.</summary>
public sealed class IngestCounters
{
    private readonly ConcurrentDictionary<string, StrongBox> _rowsRejectedBy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _messagesRejectedBy = new(StringComparer.Ordinal);
    private readonly Histogram<long> _writePoints;
    private long _messages;
    private long _batchesAccepted;
    private long _rowsStored;
    private long _rowsRejected;
    private long _messagesRejected;
    private long _writes;
    private long _writeFailures;
    private long _pointsWritten;
    private long _lastWriteMicros;

    /// <summary>Creates the counters and their instruments on <paramref name="meter"/>.</summary>
    public IngestCounters(IngestMeter meter)
    {
        var m = meter.Meter;
        // Buckets for 0.1 ms … 100 s: ingest's write latency is milliseconds, its lag a backlog's minutes at worst.
        double[] seconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100];
        Lag = new LatencyHistogram(m.CreateHistogram("fieldlab.ingest.lag", "s",
            "Write time minus row time of every stored live-lane row (end-to-end latency as the publisher stamps it).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = seconds }));
        WriteLatency = new LatencyHistogram(m.CreateHistogram("fieldlab.ingest.write.duration", "s", "Duration of each successful InfluxDB write.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = seconds }));
        _writePoints = m.CreateHistogram("fieldlab.ingest.write.points", "{point}", "Points per successful InfluxDB write (the batch size).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 10, 100, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000] });
        StatsLag = new LatencyWindow(Lag);
        StatsWriteLatency = new LatencyWindow(WriteLatency);
        m.CreateObservableCounter("fieldlab.ingest.messages", () => Messages, "{message}", "Data messages received (samples, waveforms, truth).");
        m.CreateObservableCounter("fieldlab.ingest.batches.accepted", () => BatchesAccepted, "{message}", "Messages with at least one stored row.");
        m.CreateObservableCounter("fieldlab.ingest.rows.stored", () => RowsStored, "{row}", "Rows confirmed written to InfluxDB.");
        m.CreateObservableCounter("fieldlab.ingest.rows.rejected", () => ByReason(_rowsRejectedBy), "{row}", "Rows quarantined, by reject reason.");
        m.CreateObservableCounter("fieldlab.ingest.messages.rejected", () => ByReason(_messagesRejectedBy), "{message}", "Messages rejected as a whole, by reject reason.");
        m.CreateObservableCounter("fieldlab.ingest.points.written", () => PointsWritten, "{point}", "Points written (samples, features, truth, rejects, health).");
        m.CreateObservableCounter("fieldlab.ingest.writes", () => Writes, "{write}", "Successful writes to InfluxDB.");
        m.CreateObservableCounter("fieldlab.ingest.write.failures", () => WriteFailures, "{write}", "Failed write attempts (retried, or spooled).");
    }

    /// <summary>Write time minus row time of every stored live-lane row: the end-to-end latency as a publisher stamps it.</summary>
    public LatencyHistogram Lag { get; }

    /// <summary>Duration of each successful InfluxDB write.</summary>
    public LatencyHistogram WriteLatency { get; }

    /// <summary><see cref="Lag"/> since the last <c>/stats/reset</c> (the JSON view the benchmarks read per phase).</summary>
    public LatencyWindow StatsLag { get; }

    /// <summary><see cref="WriteLatency"/> since the last <c>/stats/reset</c>.</summary>
    public LatencyWindow StatsWriteLatency { get; }

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

    /// <summary>Rows quarantined so far, per reject reason (<see cref="Fieldlab.Telemetry.Wire.RejectReasons"/>).</summary>
    public IReadOnlyDictionary<string, long> RowsRejectedByReason => _rowsRejectedBy.ToDictionary(kv => kv.Key, kv => kv.Value.Read());

    internal void MessageReceived() => Interlocked.Increment(ref _messages);
    internal void BatchAccepted() => Interlocked.Increment(ref _batchesAccepted);
    internal void WriteFailed() => Interlocked.Increment(ref _writeFailures);

    internal void MessageRejected(int rows, string reason)
    {
        Interlocked.Increment(ref _messagesRejected);
        _messagesRejectedBy.GetOrAdd(reason, _ => new StrongBox()).Add(1);
        RowsQuarantined(rows, reason);
    }

    internal void RowsQuarantined(int rows, string reason)
    {
        Interlocked.Add(ref _rowsRejected, rows);
        _rowsRejectedBy.GetOrAdd(reason, _ => new StrongBox()).Add(rows);
    }

    internal void WriteSucceeded(int rows, int points, TimeSpan latency)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _rowsStored, rows);
        Interlocked.Add(ref _pointsWritten, points);
        Interlocked.Exchange(ref _lastWriteMicros, (long)latency.TotalMicroseconds);
        WriteLatency.Add(latency.TotalMilliseconds);
        _writePoints.Record(points);
    }

    /// <summary>Starts the JSON view's latency windows again (benchmarks measure one phase at a time); no counter, no
    /// histogram and no other window changes.</summary>
    public void RestartStatsWindows()
    {
        StatsLag.Restart();
        StatsWriteLatency.Restart();
    }

    private static IEnumerable<Measurement<long>> ByReason(ConcurrentDictionary<string, StrongBox> counts) =>
        counts.Select(kv => new Measurement<long>(kv.Value.Read(), new KeyValuePair<string, object?>("reason", kv.Key)));

    private sealed class StrongBox
    {
        private long _value;
        public void Add(long n) => Interlocked.Add(ref _value, n);
        public long Read() => Interlocked.Read(ref _value);
    }
}
