namespace Fieldlab.Datasets;

/// <summary>One alert as ingest's condition monitor stored it (measurement <c>alerts</c>): raised or cleared.</summary>
/// <param name="TimeNs">When it was published, ns since the Unix epoch (UTC).</param>
/// <param name="Rig">Rig id.</param>
/// <param name="Id">The alert within the rig (<c>bearing</c>, <c>anomaly-{stream}</c> …).</param>
/// <param name="State"><c>raised</c> or <c>cleared</c>.</param>
/// <param name="Kind"><c>bearing</c>, <c>anomaly</c>, <c>energy</c> or <c>rul</c>.</param>
/// <param name="Summary">The sentence for people.</param>
/// <param name="Defect">A bearing defect, or null.</param>
/// <param name="Sensors">The sensors or axis that drove it, comma-separated as stored, or null.</param>
/// <param name="Score">The model's score, or null.</param>
/// <param name="Limit">The limit it was held against, or null.</param>
public sealed record AlertRow(long TimeNs, string Rig, string Id, string State, string Kind, string Summary, string? Defect, string? Sensors, double? Score, double? Limit);
