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

    /// <summary>Disk space each owner's datasets may take (10 GiB), in MiB: a site's (instructors') and each company's.</summary>
    public double QuotaMegabytes { get; set; } = 10 * 1024;

    /// <summary>Quotas of particular owners in MiB, by site id or organisation id (e.g. <c>Datasets:Quotas:acme=2048</c>).</summary>
    public Dictionary<string, double> Quotas { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) yield return "Directory: required";
        if (MaxRange <= TimeSpan.Zero) yield return "MaxRange: positive";
        if (MaxRigs < 1) yield return "MaxRigs: at least 1";
        if (!(QuotaMegabytes > 0)) yield return "QuotaMegabytes: positive";
        foreach (var (owner, mb) in Quotas) if (!(mb > 0)) yield return $"Quotas:{owner}: positive";
    }
}
