namespace Fieldlab.Ingest.Monitoring;

/// <summary>The observations of a <see cref="LatencyHistogram"/> since the window was last restarted: the
/// <c>ingest_stats</c> report's interval, or the benchmarks' phase (<c>/stats/reset</c>). Restarting a window moves
/// its own baseline and leaves the histogram — and every other reader of it — untouched. Thread-safe.</summary>
public sealed class LatencyWindow(LatencyHistogram source)
{
    private long[] _baseline = new long[LatencyHistogram.Buckets];

    /// <summary>Starts a new window at the histogram's current counts.</summary>
    public void Restart() => Volatile.Write(ref _baseline, source.Snapshot());

    /// <summary>Observations in this window.</summary>
    public long Count => Since().Sum();

    /// <summary>The percentile of the observations in this window (as <see cref="LatencyHistogram.Percentile(double)"/>).</summary>
    public double Percentile(double fraction) => LatencyHistogram.Percentile(Since(), fraction);

    private long[] Since()
    {
        var baseline = Volatile.Read(ref _baseline);
        var counts = source.Snapshot();
        for (int i = 0; i < counts.Length; i++) counts[i] -= baseline[i];
        return counts;
    }
}
