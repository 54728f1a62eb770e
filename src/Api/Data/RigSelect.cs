using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Api.Data;

/// <summary>What a handler wants from one measurement of its rig; the <see cref="RigDataReader"/> adds the rig, the
/// time window and the caller's visible windows, so no handler writes its own site, tenant or time filter.</summary>
/// <param name="Measurement">The measurement, as the schema defines it (with its retention policy).</param>
/// <param name="Fields">The SELECT list (identifiers quoted by the caller with InfluxIdentifier).</param>
/// <param name="Where">Extra conditions on other tags (e.g. <c>stream = $stream</c>), or null; must not mention site, rig or time.</param>
/// <param name="Parameters">Values bound to the <paramref name="Where"/> clause.</param>
/// <param name="GroupByTime">Bucket width for aggregations, or null for raw rows.</param>
/// <param name="Descending">Newest first (raw rows only).</param>
/// <param name="Limit">Most rows in all, across the caller's windows (raw rows only).</param>
public sealed record RigSelect(
    Measurement Measurement,
    string Fields,
    string? Where = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    TimeSpan? GroupByTime = null,
    bool Descending = false,
    int Limit = 10_000);
