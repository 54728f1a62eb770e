using Fieldlab.Access.Rights;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Api.Series;

/// <summary>How the series endpoint reads a downsampled measurement: which one answers a request, which of its stored
/// buckets a caller may see, and the SELECT list that merges them into the requested buckets.</summary>
public static class MeanBuckets
{
    /// <summary>Aggregations the stored sum, count, min and max answer exactly.</summary>
    public static readonly IReadOnlySet<string> Aggregates = new HashSet<string>(StringComparer.Ordinal) { "mean", "sum", "count", "min", "max", "spread" };

    /// <summary>The finest stored bucket the API reads instead of raw points: an hour. Minute buckets read the raw points,
    /// which hold everything — also what the minute aggregates lack (points older than the continuous queries, a backlog
    /// that arrived later than their RESAMPLE window) — and a request of at most 10 000 minutes scans a week of them.</summary>
    public static readonly TimeSpan Finest = TimeSpan.FromHours(1);

    /// <summary>The coarsest downsampling of <paramref name="source"/> (of at least <see cref="Finest"/>) whose buckets tile
    /// buckets of <paramref name="every"/> and that answers <paramref name="aggregate"/>, or null (the raw points answer).</summary>
    public static Downsampling? For(Measurement source, TimeSpan every, string aggregate) =>
        !Aggregates.Contains(aggregate) ? null
        : FieldlabSchema.Downsamplings.Where(d => d.Source == source && d.Interval >= Finest && every.Ticks % d.Interval.Ticks == 0).MaxBy(d => d.Interval);

    /// <summary>The start of the bucket of width <paramref name="every"/> holding <paramref name="t"/>, aligned to the
    /// Unix epoch as InfluxDB's GROUP BY time() aligns them.</summary>
    public static DateTimeOffset Floor(DateTimeOffset t, TimeSpan every) =>
        new(t.UtcTicks - (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % every.Ticks, TimeSpan.Zero);

    /// <summary>The times at which a stored bucket of width <paramref name="bucket"/> may be read: those whose whole bucket
    /// lies in one window of <paramref name="visible"/> and in [<paramref name="from"/>, <paramref name="to"/>). A bucket
    /// that straddles a window's edge mixes what the caller may see with what it may not: it is withheld.</summary>
    public static WindowSet Whole(WindowSet visible, TimeSpan bucket, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(visible);
        var whole = new List<TimeWindow>();
        foreach (var w in visible.Clip(from.UtcDateTime, to.UtcDateTime))
        {
            var first = Ceiling(new DateTimeOffset(w.From!.Value), bucket);
            var last = Floor(new DateTimeOffset(w.To!.Value), bucket) - bucket; // the last bucket that ends by the window's end
            // Half-open: the bucket starting at `last` is included.
            if (last >= first) whole.Add(new TimeWindow(first.UtcDateTime, last.UtcDateTime.AddTicks(1)));
        }
        return WindowSet.Of(whole);
    }

    /// <summary>The SELECT list (columns <c>value</c> and <c>n</c>, the points behind it) that merges the stored buckets of
    /// <paramref name="sensor"/> into the requested ones: a mean is sum over count, never a mean of means.</summary>
    public static string Fields(string aggregate, string sensor)
    {
        string Column(string function) => InfluxIdentifier.Quote($"{function}_{sensor}");
        var value = aggregate switch
        {
            "mean" => $"sum({Column("sum")}) / sum({Column("count")})",
            "sum" => $"sum({Column("sum")})",
            "count" => $"sum({Column("count")})",
            "min" => $"min({Column("min")})",
            "max" => $"max({Column("max")})",
            "spread" => $"max({Column("max")}) - min({Column("min")})",
            _ => throw new ArgumentException($"'{aggregate}' is not answered by the means.", nameof(aggregate)),
        };
        return $"{value} AS value, sum({Column("count")}) AS n";
    }

    private static DateTimeOffset Ceiling(DateTimeOffset t, TimeSpan every) => Floor(t, every) == t ? t : Floor(t, every) + every;
}
