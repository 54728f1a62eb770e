namespace Fieldlab.Access.Store;

/// <summary>One frozen version of a dataset: what was selected, who froze it and when, and where its immutable files
/// lie (docs/datasets.md). The files never change; a new freeze of the same selection is the next version of the same id.</summary>
public sealed class DatasetRecord
{
    /// <summary>The dataset's id (<c>ds-…</c>): the same for every version of one selection.</summary>
    public required string Id { get; set; }

    /// <summary>1, 2, … per freeze of the selection.</summary>
    public int Version { get; set; }

    /// <summary>SHA-256 of the normalised selection (site, rigs, range, sensors): equal selections share an id.</summary>
    public required string SelectionKey { get; set; }

    /// <summary>The site.</summary>
    public required string SiteId { get; set; }

    /// <summary>The rigs, comma-separated, in order.</summary>
    public required string Rigs { get; set; }

    /// <summary>The sensors asked for, comma-separated, or empty for all.</summary>
    public string Sensors { get; set; } = "";

    /// <summary>Start of the range (UTC, inclusive).</summary>
    public DateTime From { get; set; }

    /// <summary>End of the range (UTC, exclusive).</summary>
    public DateTime To { get; set; }

    /// <summary>Who froze it (account name; a pseudonym after an erasure).</summary>
    public required string FrozenBy { get; set; }

    /// <summary>The freezer's organisation when a company member froze its pilot's data (the dataset is then the company's), else null.</summary>
    public string? OrganisationId { get; set; }

    /// <summary>When it was frozen (UTC).</summary>
    public DateTime FrozenAt { get; set; }

    /// <summary>Rows of the samples table.</summary>
    public long Rows { get; set; }

    /// <summary>SHA-256 (hex) of samples.csv.</summary>
    public required string SamplesSha256 { get; set; }

    /// <summary>Bytes of every file together.</summary>
    public long Bytes { get; set; }

    /// <summary>Whether the labels are hidden: kept beside the files for scoring, never published (docs/datasets.md).</summary>
    public bool LabelsHidden { get; set; }

    /// <summary>Labels of the version (staged faults, maintenance, hand-made).</summary>
    public int Labels { get; set; }

    /// <summary>The optional parts frozen with the samples, comma-separated in order (<c>waveforms,outputs,alerts</c>), or empty.</summary>
    public string Parts { get; set; } = "";
}
