using Fieldlab.Access.Store;
using Fieldlab.Datasets.Assignments;

namespace Fieldlab.Api.Assignments;

/// <summary>What a prediction file of an assignment must look like, as the API tells students (docs/datasets.md,
/// "Assignments", has the same with examples).</summary>
public static class SubmissionFormat
{
    /// <summary>The format of <paramref name="assignment"/>'s task.</summary>
    public static object Of(Assignment assignment, DatasetRecord dataset)
    {
        var kind = TaskKinds.Parse(assignment.Task) ?? TaskKind.Detection;
        var (metric, higher) = TaskKinds.Leaderboard(kind);
        string from = dataset.From.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        return new
        {
            media_type = "text/csv",
            header = string.Join(',', TaskKinds.Columns(kind)),
            lines = kind switch
            {
                TaskKind.Detection => "one per rig and time of samples.csv (rows of several streams at one time are one key): anomaly 1 (a fault) or 0",
                TaskKind.Classification => $"one per rig and window: window_start = {from} + k × {assignment.WindowSeconds} s, every whole window before the dataset's end; class the fault class (or normal) at the window's middle",
                _ => $"one per rig and grid time {from} + k × {assignment.WindowSeconds} s that lies before a start of '{assignment.FailureLabel}' and not inside one: rul_hours ≥ 0 until that start",
            },
            times = "RFC 3339 UTC, exactly as the grid (samples.csv writes nanoseconds; 2026-11-30T08:00:00Z and 2026-11-30T08:00:00.000000000Z are the same time)",
            every_key_once = true,
            metric,
            higher_is_better = higher,
        };
    }
}
