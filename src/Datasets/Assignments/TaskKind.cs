namespace Fieldlab.Datasets.Assignments;

/// <summary>What an assignment asks students to predict (docs/datasets.md, "Assignments").</summary>
public enum TaskKind
{
    /// <summary>Anomaly/fault detection: a 0/1 flag for every (rig, time) of the samples table.</summary>
    Detection,

    /// <summary>Fault classification: a class for every window of <see cref="TaskSpec.WindowNs"/>.</summary>
    Classification,

    /// <summary>Remaining useful life: hours until the next failure at every grid point before one.</summary>
    Rul,
}

/// <summary>How tasks are written in the API and in the store, and the columns of their prediction files.</summary>
public static class TaskKinds
{
    /// <summary>The task's name (<c>detection</c>, <c>classification</c>, <c>rul</c>).</summary>
    public static string Name(TaskKind kind) => kind switch
    {
        TaskKind.Detection => "detection",
        TaskKind.Classification => "classification",
        _ => "rul",
    };

    /// <summary>The task a name denotes, or null.</summary>
    public static TaskKind? Parse(string? name) => name switch
    {
        "detection" => TaskKind.Detection,
        "classification" => TaskKind.Classification,
        "rul" => TaskKind.Rul,
        _ => null,
    };

    /// <summary>The exact header of a prediction file.</summary>
    public static IReadOnlyList<string> Columns(TaskKind kind) => kind switch
    {
        TaskKind.Detection => ["rig", "time", "anomaly"],
        TaskKind.Classification => ["rig", "window_start", "class"],
        _ => ["rig", "time", "rul_hours"],
    };

    /// <summary>The leaderboard's metric of a task and whether higher is better.</summary>
    public static (string Metric, bool HigherIsBetter) Leaderboard(TaskKind kind) => kind switch
    {
        TaskKind.Detection => ("f1", true),
        TaskKind.Classification => ("macro_f1", true),
        _ => ("rmse", false),
    };
}
