using System.Globalization;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Series;

/// <summary>A validated request for one sensor's series: time window, optional aggregation.</summary>
/// <remarks>
/// <c>from</c>/<c>to</c>: RFC 3339 (e.g. <c>2026-11-22T07:00:00Z</c>), <c>now</c>, or relative to now (<c>now-15m</c>,
/// <c>-2h</c>). Defaults: the last 15 minutes. <c>every</c>: a bucket width (<c>10s</c>, <c>1m</c>); with it the
/// values are aggregated with <c>agg</c> (default <c>mean</c>). Raw requests return at most <see cref="MaxRawPoints"/>
/// points (the newest are cut and <c>truncated</c> says so); aggregated ones at most <see cref="MaxBuckets"/> buckets.
/// </remarks>
public sealed record SeriesRequest(DateTimeOffset From, DateTimeOffset To, TimeSpan? Every, string? Aggregate)
{
    /// <summary>Most raw points per response.</summary>
    public const int MaxRawPoints = 10_000;

    /// <summary>Most buckets per aggregated response.</summary>
    public const int MaxBuckets = 10_000;

    /// <summary>Aggregations offered (InfluxQL functions).</summary>
    public static readonly IReadOnlySet<string> Aggregates = new HashSet<string>(StringComparer.Ordinal)
        { "mean", "median", "min", "max", "first", "last", "sum", "count", "stddev", "spread" };

    /// <summary>Parses query-string values; returns the problems, if any, keyed by parameter.</summary>
    public static SeriesRequest? TryParse(string? from, string? to, string? every, string? agg, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var toTime = ParseTime(to, now) ?? Error(errors, "to", $"'{to}' is not a time (RFC 3339, now, or now-15m)");
        var fromTime = ParseTime(from, (toTime ?? now) - TimeSpan.FromMinutes(15), now) ?? Error(errors, "from", $"'{from}' is not a time (RFC 3339, now, or now-15m)");
        TimeSpan? bucket = null;
        if (!string.IsNullOrEmpty(every))
        {
            bucket = Duration.Parse(every);
            if (bucket is null || bucket < TimeSpan.FromMilliseconds(1)) { Error(errors, "every", $"'{every}' is not a duration of at least 1ms (e.g. 10s, 1m)"); bucket = null; }
        }
        if (agg is not null && !Aggregates.Contains(agg)) Error(errors, "agg", $"'{agg}' is not one of {string.Join(", ", Aggregates)}");
        if (agg is not null && bucket is null && !errors.ContainsKey("every")) Error(errors, "agg", "agg needs every (the bucket width)");
        if (fromTime is { } f && toTime is { } t)
        {
            if (f >= t) Error(errors, "from", "from must be before to");
            else if (bucket is { } b && (t - f) / b > MaxBuckets) Error(errors, "every", $"the window holds more than {MaxBuckets} buckets of {every}; widen every");
        }
        return errors.Count > 0 ? null : new SeriesRequest(fromTime!.Value, toTime!.Value, bucket, bucket is null ? null : agg ?? "mean");
    }

    private static DateTimeOffset? ParseTime(string? text, DateTimeOffset fallback, DateTimeOffset? now = null)
    {
        var reference = now ?? fallback;
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        text = text.Trim();
        if (text == "now") return reference;
        var relative = text.StartsWith("now-", StringComparison.Ordinal) ? text[4..] : text.StartsWith('-') ? text[1..] : null;
        if (relative is not null) return Duration.Parse(relative) is { } ago ? reference - ago : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
    }

    private static DateTimeOffset? ParseTime(string? text, DateTimeOffset fallback) => ParseTime(text, fallback, null);

    /// <summary>The last <paramref name="within"/> up to now (<paramref name="fallback"/> when absent), as the
    /// <c>within=</c> parameter of latest values, alerts, model outputs and curves means it; null when it is no duration.</summary>
    public static SeriesRequest? Within(string? within, string fallback, DateTimeOffset now) => TryParse("now-" + (within ?? fallback), "now", null, null, now, out _);

    /// <summary>The answer to a <c>within=</c> that is no duration.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem WithinProblem(string? within) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["within"] = [$"'{within}' is not a duration (e.g. 15m, 1h, 1d)"] });

    /// <summary>A time as the API's parameters write it (RFC 3339, <c>now</c>, <c>now-15m</c>), or null when it is none.</summary>
    public static DateTimeOffset? ParseInstant(string? text, DateTimeOffset now) => string.IsNullOrWhiteSpace(text) ? null : ParseTime(text, now, now);

    private static DateTimeOffset? Error(Dictionary<string, string[]> errors, string key, string message)
    {
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
        return null;
    }
}
