namespace Fieldlab.Datasets;

/// <summary>One stored value of a model output: the field <paramref name="Output"/> of a point of the measurement
/// <paramref name="Model"/> (<c>anomaly</c>, <c>bearing_health</c>, <c>vibration_features</c>, <c>energy</c>).</summary>
/// <param name="TimeNs">The point's time, ns since the Unix epoch (UTC).</param>
/// <param name="Rig">Rig id.</param>
/// <param name="Model">The measurement the model writes.</param>
/// <param name="Stream">The stream the model read, or null.</param>
/// <param name="Axis">The axis (vibration features: the tag; bearing health: the axis that drove the verdict), or null.</param>
/// <param name="Output">The field name as stored (<c>score</c>, <c>alarm</c>, <c>share_flow</c> …).</param>
/// <param name="Value">A number (a boolean as 1 or 0), or null for a text.</param>
/// <param name="Text">A text value (<c>top_sensors</c>, <c>iso_zone</c>, <c>defect</c> …), or null for a number.</param>
public sealed record OutputRow(long TimeNs, string Rig, string Model, string? Stream, string? Axis, string Output, double? Value, string? Text);
