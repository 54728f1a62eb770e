namespace Fieldlab.Datasets;

/// <summary>The header of one replay file (the gateway's "fieldlab export" CSV) for a rig's stream.</summary>
/// <param name="Site">Site id.</param>
/// <param name="Rig">Rig id.</param>
/// <param name="Stream">Stream id.</param>
/// <param name="Kind">Rig kind (e.g. <c>pump</c>).</param>
/// <param name="Sensors">The stream's sensors, each a sensor column of the samples table, in file order.</param>
/// <param name="Units">One unit per sensor (empty when none).</param>
public sealed record ReplayHeader(string Site, string Rig, string Stream, string Kind, IReadOnlyList<string> Sensors, IReadOnlyList<string> Units)
{
    /// <summary>The samples table's column of each sensor, when it differs from the sensor id (a dataset of two rigs
    /// whose same-named sensors have different units names them <c>{rig}.{sensor}</c>); null: the sensor ids.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>The replay file's name: <c>replay-{rig}-{stream}.csv</c>.</summary>
    public string FileName => $"replay-{Rig}-{Stream}.csv";
}
