namespace Fieldlab.Datasets;

/// <summary>One row of the samples table.</summary>
/// <param name="TimeNs">Time in ns since the Unix epoch (UTC).</param>
/// <param name="Rig">Rig id.</param>
/// <param name="Stream">Stream id.</param>
/// <param name="Values">One value per sensor column in the spec's order; null is a missing value.</param>
public readonly record struct SampleRow(long TimeNs, string Rig, string Stream, double?[] Values);
