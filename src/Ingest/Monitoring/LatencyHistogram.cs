namespace Fieldlab.Ingest.Monitoring;

/// <summary>A thread-safe histogram of durations in logarithmic buckets (10 per decade, 10 µs to 1000 s), for percentiles
/// without keeping every sample.</summary>
public sealed class LatencyHistogram
{
    private const double MinMs = 0.01;
    private const int BucketsPerDecade = 10;
    private const int Buckets = 8 * BucketsPerDecade + 1;
    private readonly long[] _counts = new long[Buckets];

    /// <summary>Adds one observation, <paramref name="weight"/> times.</summary>
    public void Add(double milliseconds, long weight = 1)
    {
        int bucket = milliseconds <= MinMs ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log10(milliseconds / MinMs) * BucketsPerDecade));
        Interlocked.Add(ref _counts[bucket], weight);
    }

    /// <summary>The value below which <paramref name="fraction"/> of the observations fall (upper edge of its bucket, so
    /// at most 26 % high), or 0 when empty.</summary>
    public double Percentile(double fraction)
    {
        long total = 0;
        for (int i = 0; i < Buckets; i++) total += Interlocked.Read(ref _counts[i]);
        if (total == 0) return 0;
        long target = (long)Math.Ceiling(fraction * total), seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= target) return MinMs * Math.Pow(10, (double)i / BucketsPerDecade);
        }
        return MinMs * Math.Pow(10, (double)(Buckets - 1) / BucketsPerDecade);
    }

    /// <summary>Observations so far.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (int i = 0; i < Buckets; i++) total += Interlocked.Read(ref _counts[i]);
            return total;
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        for (int i = 0; i < Buckets; i++) Interlocked.Exchange(ref _counts[i], 0);
    }
}
