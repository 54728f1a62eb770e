using System.Globalization;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Telemetry.Schema;

/// <summary>A continuous query that keeps, per bucket of <see cref="Interval"/>, the mean, min, max, sum and count of
/// every field of <see cref="Source"/> in a longer-lived policy (<see cref="Target"/>), tags kept (<c>GROUP BY *</c>).</summary>
/// <remarks>InfluxQL names a wildcard function's output <c>{function}_{field}</c> (<c>mean(*)</c> → <c>mean_flow</c>);
/// strings and booleans get only what applies to them (count, and min/max of booleans). The sum and count let a reader
/// merge buckets exactly: a mean over several buckets is <c>sum(sum_x) / sum(count_x)</c>, not a mean of means.
/// The query runs every interval over the last two (<c>RESAMPLE … FOR</c>), so points that arrive up to one interval
/// late are still counted; later ones (a gateway's backlog after a long outage) need <see cref="Backfill"/>.</remarks>
public sealed class Downsampling
{
    /// <summary>The aggregates kept per field, in the order of the SELECT.</summary>
    public static readonly IReadOnlyList<string> Functions = ["mean", "min", "max", "sum", "count"];

    /// <summary>Declares the downsampling of <paramref name="source"/> into <paramref name="target"/> per <paramref name="interval"/>
    /// (whole minutes).</summary>
    public Downsampling(Measurement source, RetentionPolicy target, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (interval < TimeSpan.FromMinutes(1) || interval.Ticks % TimeSpan.TicksPerMinute != 0) throw new ArgumentException("The interval is whole minutes.", nameof(interval));
        Source = source;
        Interval = interval;
        Name = $"{source.Name}_{target.Name}";
        Target = new Measurement(source.Name, target, source.Tags,
            [
                new("mean_{field}", FieldKind.Float, $"mean of a numeric field of {source}", source),
                new("min_{field}", FieldKind.Float, $"minimum of a numeric or boolean field of {source} (its type)", source),
                new("max_{field}", FieldKind.Float, $"maximum of a numeric or boolean field of {source} (its type)", source),
                new("sum_{field}", FieldKind.Float, $"sum of a numeric field of {source}", source),
                new("count_{field}", FieldKind.Integer, $"points of {source} with the field", source),
            ],
            "bucket start, ns", $"{Duration(interval)} aggregates of {source}");
    }

    /// <summary>The continuous query's name (<c>samples_means_1m</c>).</summary>
    public string Name { get; }

    /// <summary>The measurement it reads.</summary>
    public Measurement Source { get; }

    /// <summary>The measurement it writes (same name and tags, in the target policy).</summary>
    public Measurement Target { get; }

    /// <summary>The bucket width.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How far back each run recomputes (two buckets).</summary>
    public TimeSpan ResampleFor => 2 * Interval;

    /// <summary>The SELECT … INTO that the continuous query runs (InfluxDB adds the time range of each run).</summary>
    public string Select => $"SELECT {string.Join(", ", Functions.Select(f => f + "(*)"))} INTO {Target.QuotedName} FROM {Source.ReadSources} GROUP BY time({Duration(Interval)}), *";

    /// <summary>The statement that creates the continuous query on <paramref name="database"/>.</summary>
    public string CreateStatement(string database) =>
        $"CREATE CONTINUOUS QUERY {InfluxIdentifier.Quote(Name)} ON {InfluxIdentifier.Quote(database)} RESAMPLE EVERY {Duration(Interval)} FOR {Duration(ResampleFor)} BEGIN {Select} END";

    /// <summary>The continuous query's own SELECT … INTO over the whole buckets of [<paramref name="from"/>, <paramref name="to"/>)
    /// (widened to bucket edges): what it would have written for that time, for data that arrived too late or before it existed.</summary>
    public string Backfill(DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to) throw new ArgumentException("from must be before to.", nameof(from));
        long start = Floor(from).ToUnixTimeMilliseconds() * 1_000_000, end = Ceiling(to).ToUnixTimeMilliseconds() * 1_000_000;
        // The time range goes before GROUP BY; the rest is the continuous query's text unchanged.
        var where = string.Create(CultureInfo.InvariantCulture, $" WHERE time >= {start} AND time < {end}");
        int groupBy = Select.LastIndexOf(" GROUP BY ", StringComparison.Ordinal);
        return Select[..groupBy] + where + Select[groupBy..];
    }

    /// <summary>The start of the bucket holding <paramref name="t"/> (buckets are aligned to the Unix epoch, as InfluxDB's).</summary>
    public DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % Interval.Ticks, TimeSpan.Zero);

    private DateTimeOffset Ceiling(DateTimeOffset t) => Floor(t) == t ? t : Floor(t) + Interval;

    /// <summary>An InfluxQL duration literal of whole minutes (<c>1m</c>, <c>1h</c>, <c>90m</c>).</summary>
    internal static string Duration(TimeSpan span) => span.Ticks % TimeSpan.TicksPerHour == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerHour}h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.Ticks / TimeSpan.TicksPerMinute}m");
}
