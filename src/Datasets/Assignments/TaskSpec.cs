namespace Fieldlab.Datasets.Assignments;

/// <summary>An assignment's task as the scoring needs it: the kind, the dataset's rigs and range [FromNs, ToNs) in ns
/// since the Unix epoch, the window of the key grid and of the public/private split, and (RUL) the failure's label.</summary>
/// <param name="Kind">What is predicted.</param>
/// <param name="Rigs">The dataset's rigs.</param>
/// <param name="FromNs">Start of the dataset's range (inclusive).</param>
/// <param name="ToNs">End of the dataset's range (exclusive).</param>
/// <param name="WindowNs">Classification: the window length; RUL: the grid step; detection: the block of the split and
/// NAB's detection window.</param>
/// <param name="FailureLabel">RUL: the label whose start ends a unit's life.</param>
public sealed record TaskSpec(TaskKind Kind, IReadOnlyList<string> Rigs, long FromNs, long ToNs, long WindowNs, string? FailureLabel = null)
{
    /// <summary>What is wrong with the spec, or null.</summary>
    public string? Problem() =>
        Rigs.Count == 0 ? "the dataset has no rigs"
        : ToNs <= FromNs ? "the dataset's range is empty"
        : WindowNs <= 0 ? "window_seconds must be positive"
        : WindowNs > ToNs - FromNs ? "window_seconds is longer than the dataset's range"
        : Kind == TaskKind.Rul && string.IsNullOrWhiteSpace(FailureLabel) ? "a rul task needs failure_label"
        : null;
}
