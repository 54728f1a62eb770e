namespace Fieldlab.Datasets;

/// <summary>A written file of a dataset.</summary>
/// <param name="Name">File name inside the version folder.</param>
/// <param name="Format">Frictionless <c>format</c>: <c>csv</c> or <c>parquet</c>.</param>
/// <param name="MediaType">Media type to serve it with.</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex.</param>
/// <param name="Rows">Data rows (header and comment lines not counted).</param>
public sealed record DatasetFile(string Name, string Format, string MediaType, long Bytes, string Sha256, long Rows)
{
    /// <summary>For a replay file, the header it was written with (its sensors and units); null for the samples tables.</summary>
    public ReplayHeader? Replay { get; init; }

    /// <summary>The manifest's <c>fieldlab.role</c> of an optional part (<c>waveforms</c>, <c>outputs</c>, <c>alerts</c>);
    /// null for the samples, replay and labels files, whose role follows from their name.</summary>
    public string? Role { get; init; }

    /// <summary>What the file holds and how to read it, for the manifest and the README; null: the standard text of
    /// the samples, replay and labels files.</summary>
    public string? Description { get; init; }

    /// <summary>The file's own columns (its Table Schema); null: the samples table's (or the replay's, the labels').</summary>
    public IReadOnlyList<DatasetColumn>? Columns { get; init; }
}
