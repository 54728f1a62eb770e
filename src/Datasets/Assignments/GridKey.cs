namespace Fieldlab.Datasets.Assignments;

/// <summary>One key of a task's grid: a rig and a time (ns since the Unix epoch): a sample's time (detection), a
/// window's start (classification) or a grid point (RUL).</summary>
public readonly record struct GridKey(string Rig, long TimeNs);

/// <summary>A truth or a prediction at one key: <paramref name="Value"/> for detection (0/1) and RUL (hours),
/// <paramref name="Class"/> for classification.</summary>
public readonly record struct Answer(double Value, string? Class = null);
