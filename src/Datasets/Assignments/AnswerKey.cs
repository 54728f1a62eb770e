using Fieldlab.Datasets.Formats;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Assignments;

/// <summary>The key grid of a task over a frozen dataset with the truth at every key: what a complete prediction file
/// must hold, and what it is scored against. Built from the version's <c>samples.csv</c> (detection) or its range
/// (classification, RUL) and its labels; see docs/datasets.md, "Assignments".</summary>
public sealed class AnswerKey
{
    /// <summary>Most keys one grid may hold (memory: a key and its truth take about 100 bytes).</summary>
    public const int MaxKeys = 2_000_000;

    private readonly Dictionary<GridKey, Answer> _truth;

    private AnswerKey(TaskSpec task, Dictionary<GridKey, Answer> truth, IReadOnlySet<GridKey> grid)
    {
        Task = task;
        _truth = truth;
        Grid = grid;
    }

    /// <summary>The task.</summary>
    public TaskSpec Task { get; }

    /// <summary>Every key with its truth.</summary>
    public IReadOnlyDictionary<GridKey, Answer> Truth => _truth;

    /// <summary>Every point of the grid, also those that are not keys (RUL: after the last failure, or inside one).</summary>
    public IReadOnlySet<GridKey> Grid { get; }

    /// <summary>Builds the key of <paramref name="task"/> from a version's samples file and labels.</summary>
    public static async Task<AnswerKey> BuildAsync(TaskSpec task, string samplesPath, IEnumerable<LabelRow> labels, CancellationToken ct)
    {
        if (task.Problem() is { } problem) throw new ArgumentException(problem, nameof(task));
        var faults = new FaultLabels(labels, task.ToNs);
        return task.Kind switch
        {
            TaskKind.Detection => await DetectionAsync(task, samplesPath, faults, ct).ConfigureAwait(false),
            TaskKind.Classification => Classification(task, faults),
            _ => Rul(task, faults),
        };
    }

    /// <summary>Every (rig, time) of the samples table (several streams at one time are one key); truth 1 where a fault covers it.</summary>
    private static async Task<AnswerKey> DetectionAsync(TaskSpec task, string samplesPath, FaultLabels faults, CancellationToken ct)
    {
        var truth = new Dictionary<GridKey, Answer>();
        using var text = new StreamReader(samplesPath, CsvText.Utf8);
        var csv = new CsvRecordReader(text);
        var header = await csv.ReadAsync(ct).ConfigureAwait(false);
        if (header is not ["time", "rig", ..]) throw new FormatException($"{samplesPath}: not a samples table");
        while (await csv.ReadAsync(ct).ConfigureAwait(false) is { } cells)
        {
            if (!UtcTimestamp.TryParse(cells[0], out long t)) throw new FormatException($"{samplesPath} line {csv.LineNumber}: '{cells[0]}' is not a time");
            var key = new GridKey(cells[1], t);
            if (truth.ContainsKey(key)) continue;
            Guard(truth.Count);
            truth[key] = new Answer(faults.IsFault(key.Rig, t) ? 1 : 0);
        }
        return new AnswerKey(task, truth, truth.Keys.ToHashSet());
    }

    /// <summary>Windows [from + k·w, from + (k+1)·w) inside the range; truth the class covering the window's middle.</summary>
    private static AnswerKey Classification(TaskSpec task, FaultLabels faults)
    {
        var truth = new Dictionary<GridKey, Answer>();
        foreach (var rig in task.Rigs)
        {
            for (long start = task.FromNs; start + task.WindowNs <= task.ToNs; start += task.WindowNs)
            {
                Guard(truth.Count);
                truth[new GridKey(rig, start)] = new Answer(0, faults.ClassAt(rig, start + task.WindowNs / 2));
            }
        }
        return new AnswerKey(task, truth, truth.Keys.ToHashSet());
    }

    /// <summary>Points from + k·w inside the range; a point is a key when a failure starts after it and none covers it,
    /// its truth the hours until that start.</summary>
    private static AnswerKey Rul(TaskSpec task, FaultLabels faults)
    {
        var truth = new Dictionary<GridKey, Answer>();
        var grid = new HashSet<GridKey>();
        foreach (var rig in task.Rigs)
        {
            var failures = faults.Ranges(rig, task.FailureLabel!).ToList();
            for (long t = task.FromNs; t < task.ToNs; t += task.WindowNs)
            {
                Guard(grid.Count);
                var key = new GridKey(rig, t);
                grid.Add(key);
                if (failures.Any(f => f.StartNs <= t && t < faults.EndOf(f))) continue; // failed: no life to predict
                if (failures.FirstOrDefault(f => f.StartNs > t) is { } next)
                    truth[key] = new Answer((next.StartNs - t) / 3_600_000_000_000.0);
            }
        }
        return new AnswerKey(task, truth, grid);
    }

    private static void Guard(int count)
    {
        if (count >= MaxKeys) throw new InvalidOperationException($"the task's grid has more than {MaxKeys:N0} keys: choose a longer window or a smaller dataset");
    }
}
