namespace Fieldlab.Datasets;

/// <summary>One label of a dataset, kept apart from its samples: a staged fault as the rig recorded it (<c>truth</c>:
/// from its start to its clear, with its severity) or a maintenance action (<c>maintenance</c>: what was done to which
/// component, at one moment) or a range an instructor labelled by hand (<c>instructor</c>). Times in ns since the Unix epoch (UTC); <paramref name="EndNs"/> null: open or a moment.</summary>
public sealed record LabelRow(long StartNs, long? EndNs, string Rig, string Source, string Label, double? Severity, string? Detail);
