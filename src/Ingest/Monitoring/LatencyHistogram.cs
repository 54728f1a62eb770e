using System.Diagnostics.Metrics;

namespace Fieldlab.Ingest.Monitoring;

/// <summary>A thread-safe, cumulative histogram of durations in logarithmic buckets (10 per decade, 10 µs to 1000 s),
/// for percentiles without keeping every sample. It is never reset: a reader that wants an interval takes a
/// <see cref="LatencyWindow"/> over it. Every observation is also recorded on the exported instrument, if any.</summary>
public sealed class LatencyHistogram
{
    private const double MinMs = 0.01;
    private const int BucketsPerDecade = 10;
    internal const int Buckets = 8 * BucketsPerDecade + 1;
    private readonly long[] _counts = new long[Buckets];
    private readonly Histogram<double>? _exported;

    /// <summary>A histogram that is not exported.</summary>
    public LatencyHistogram()
    {
    }

    /// <summary>A histogram whose observations also go to <paramref name="exported"/>, in seconds.</summary>
    public LatencyHistogram(Histogram<double> exported) => _exported = exported;

    /// <summary>Adds one observation, <paramref name="weight"/> times.</summary>
    public void Add(double milliseconds, long weight = 1)
    {
        int bucket = milliseconds <= MinMs ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log10(milliseconds / MinMs) * BucketsPerDecade));
        Interlocked.Add(ref _counts[bucket], weight);
        if (_exported is { Enabled: true } exported)
        {
            for (long i = 0; i < weight; i++) exported.Record(milliseconds / 1000);
        }
    }

    /// <summary>The value below which <paramref name="fraction"/> of all observations fall (upper edge of its bucket, so
    /// at most 26 % high), or 0 when empty.</summary>
    public double Percentile(double fraction) => Percentile(Snapshot(), fraction);

    /// <summary>Observations so far.</summary>
    public long Count => Snapshot().Sum();

    /// <summary>The bucket counts as they are now.</summary>
    internal long[] Snapshot()
    {
        var counts = new long[Buckets];
        for (int i = 0; i < Buckets; i++) counts[i] = Interlocked.Read(ref _counts[i]);
        return counts;
    }

    /// <summary>The percentile of bucket counts (see <see cref="Percentile(double)"/>).</summary>
    internal static double Percentile(long[] counts, double fraction)
    {
        long total = counts.Sum();
        if (total == 0) return 0;
        long target = (long)Math.Ceiling(fraction * total), seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += counts[i];
            if (seen >= target) return MinMs * Math.Pow(10, (double)i / BucketsPerDecade);
        }
        return MinMs * Math.Pow(10, (double)(Buckets - 1) / BucketsPerDecade);
    }
}
