using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Assignments;

/// <summary>Options of assignments (section <c>Assignments</c>).</summary>
public sealed class AssignmentOptions : IValidatableOptions
{
    /// <summary>Largest prediction file accepted, bytes (20 MB: a week of 1 Hz flags for eight rigs is about 12 MB).</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (MaxUploadBytes < 1024) yield return "MaxUploadBytes: at least 1024";
    }
}
