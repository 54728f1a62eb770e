using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Datasets;

/// <summary>Options of frozen datasets (section <c>Datasets</c>).</summary>
public sealed class DatasetOptions : IValidatableOptions
{
    /// <summary>Where dataset files are kept (<c>.fieldlab/datasets/</c> under <c>./fieldlab up</c>); one folder per id and version.</summary>
    public string Directory { get; set; } = "datasets";

    /// <summary>Longest range one freeze may copy (7 days: a lab's week; longer runs are several datasets).</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most rigs in one dataset.</summary>
    public int MaxRigs { get; set; } = 8;

    /// <summary>How long before now a range must have ended: the newest seconds may still be on their way from a
    /// gateway's buffer (a watermark from the acknowledged sequence numbers is not built yet; docs/datasets.md).</summary>
    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) yield return "Directory: required";
        if (MaxRange <= TimeSpan.Zero) yield return "MaxRange: positive";
        if (MaxRigs < 1) yield return "MaxRigs: at least 1";
        if (Settle < TimeSpan.Zero) yield return "Settle: not negative";
    }
}
