namespace Fieldlab.Datasets;

/// <summary>What the manifest says about a frozen dataset.</summary>
/// <param name="Id">Dataset id: the package name and folder name (lower case a-z, 0-9, <c>-</c>, <c>_</c>, <c>.</c>).</param>
/// <param name="Version">Version, 1 and up; a frozen version never changes.</param>
/// <param name="Title">Human title.</param>
/// <param name="Site">Site id the data came from.</param>
/// <param name="Rigs">The rigs, their kinds and streams.</param>
/// <param name="From">Start of the time range (inclusive).</param>
/// <param name="To">End of the time range (exclusive).</param>
/// <param name="FrozenBy">Who froze it.</param>
/// <param name="FrozenAt">When it was frozen.</param>
/// <param name="License">Licence, preferably an SPDX / Open Definition id such as <c>CC-BY-4.0</c>.</param>
/// <param name="LabelsHidden">Whether the labels are held back (for an assignment): then no file of the package holds them.</param>
public sealed record DatasetDescription(string Id, int Version, string Title, string Site, IReadOnlyList<DatasetRig> Rigs, DateTimeOffset From, DateTimeOffset To,
    string FrozenBy, DateTimeOffset FrozenAt, string License, bool LabelsHidden = false)
{
    /// <summary>The optional parts frozen with the samples (<c>waveforms</c>, <c>outputs</c>, <c>alerts</c>), in canonical order.</summary>
    public IReadOnlyList<string> Parts { get; init; } = [];
}

/// <summary>A rig in a dataset.</summary>
/// <param name="Rig">Rig id.</param>
/// <param name="Kind">Rig kind (e.g. <c>pump</c>).</param>
/// <param name="Description">What the rig is, or null.</param>
/// <param name="Streams">Its streams in the dataset.</param>
public sealed record DatasetRig(string Rig, string Kind, string? Description, IReadOnlyList<DatasetStream> Streams);

/// <summary>A stream of a rig in a dataset.</summary>
/// <param name="Id">Stream id.</param>
/// <param name="RateHz">Sampling rate in Hz.</param>
/// <param name="Sensors">Its sensors (columns of the samples table).</param>
public sealed record DatasetStream(string Id, double RateHz, IReadOnlyList<DatasetColumn> Sensors);
