using System.Globalization;
using Fieldlab.Datasets.Formats;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Assignments;

/// <summary>Reads a prediction file line by line against a task's <see cref="AnswerKey"/> (formats in
/// docs/datasets.md, "Assignments"): the exact header, three cells a line, a known rig, a time on the task's grid inside
/// the dataset, each key once, a 0/1 flag, a class or a finite RUL ≥ 0; at the end every key must have its prediction.
/// Every bad line is an error naming its line number; the list stops at <see cref="MaxErrors"/> but the count goes on.</summary>
public static class PredictionReader
{
    /// <summary>Errors listed at most (the rest are counted).</summary>
    public const int MaxErrors = 20;

    /// <summary>Longest class name.</summary>
    public const int MaxClassLength = 100;

    /// <summary>Reads <paramref name="text"/>.</summary>
    public static async Task<PredictionFile> ReadAsync(TextReader text, AnswerKey key, CancellationToken ct)
    {
        var errors = new List<string>();
        int count = 0;
        void Error(string message)
        {
            count++;
            if (errors.Count < MaxErrors) errors.Add(message);
        }

        var task = key.Task;
        var columns = TaskKinds.Columns(task.Kind);
        var csv = new CsvRecordReader(text);
        List<string>? header;
        try
        {
            header = await csv.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            return new PredictionFile(null, 0, [e.Message], 1);
        }
        if (header is null) return new PredictionFile(null, 0, [$"the file is empty: its first line must be the header {string.Join(',', columns)}"], 1);
        if (!header.Select(h => h.Trim()).SequenceEqual(columns))
            return new PredictionFile(null, 0, [$"line 1: the header must be exactly '{string.Join(',', columns)}' for a {TaskKinds.Name(task.Kind)} task (was '{string.Join(',', header)}')"], 1);

        var rigs = task.Rigs.ToHashSet(StringComparer.Ordinal);
        var predictions = new Dictionary<GridKey, Answer>();
        var firstLine = new Dictionary<GridKey, int>();
        int rows = 0;
        while (true)
        {
            List<string>? cells;
            try
            {
                cells = await csv.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                Error(e.Message);
                break;
            }
            if (cells is null) break;
            int line = csv.LineNumber;
            if (cells is [""]) continue; // a blank line
            rows++;
            if (cells.Count != columns.Count)
            {
                Error($"line {line}: {cells.Count} cells, a line has {columns.Count} ({string.Join(',', columns)})");
                continue;
            }
            var rig = cells[0];
            if (!rigs.Contains(rig))
            {
                Error($"line {line}: unknown rig '{Shorten(rig)}' (the dataset's rigs: {string.Join(", ", task.Rigs)})");
                continue;
            }
            if (!UtcTimestamp.TryParse(cells[1], out long t))
            {
                Error($"line {line}: {columns[1]} '{Shorten(cells[1])}' is not an RFC 3339 time");
                continue;
            }
            var gridKey = new GridKey(rig, t);
            if (t < task.FromNs || t >= task.ToNs)
            {
                Error($"line {line}: {columns[1]} {cells[1]} lies outside the dataset [{UtcTimestamp.Format(task.FromNs)}, {UtcTimestamp.Format(task.ToNs)})");
                continue;
            }
            if (!key.Grid.Contains(gridKey))
            {
                Error($"line {line}: {columns[1]} {cells[1]} is not on the task's grid ({GridRule(task)})");
                continue;
            }
            if (!key.Truth.ContainsKey(gridKey))
            {
                Error($"line {line}: {rig} at {cells[1]} is not scored (RUL keys lie before a start of '{task.FailureLabel}' and outside one)");
                continue;
            }
            if (firstLine.TryGetValue(gridKey, out int earlier))
            {
                Error($"line {line}: duplicate key {rig},{cells[1]} (first on line {earlier})");
                continue;
            }
            if (Value(task.Kind, cells[2]) is not { } answer)
            {
                Error($"line {line}: {columns[2]} '{Shorten(cells[2])}' {ValueRule(task.Kind)}");
                continue;
            }
            firstLine[gridKey] = line;
            predictions[gridKey] = answer;
        }

        int missing = key.Truth.Count - predictions.Count;
        if (missing > 0 && count == 0)
        {
            var first = key.Truth.Keys.Where(k => !predictions.ContainsKey(k)).OrderBy(k => k.Rig, StringComparer.Ordinal).ThenBy(k => k.TimeNs).Take(3)
                .Select(k => $"{k.Rig},{UtcTimestamp.Format(k.TimeNs)}");
            Error($"{missing} of {key.Truth.Count} keys have no prediction; the first: {string.Join("; ", first)}");
        }
        return count == 0 ? new PredictionFile(predictions, rows, [], 0) : new PredictionFile(null, rows, errors, count);
    }

    private static Answer? Value(TaskKind kind, string cell)
    {
        switch (kind)
        {
            case TaskKind.Detection:
                return cell switch { "0" => new Answer(0), "1" => new Answer(1), _ => null };
            case TaskKind.Classification:
                var name = cell.Trim();
                return name.Length is > 0 and <= MaxClassLength && !name.Any(char.IsControl) ? new Answer(0, name) : null;
            default:
                return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double hours) && double.IsFinite(hours) && hours >= 0 ? new Answer(hours) : null;
        }
    }

    private static string ValueRule(TaskKind kind) => kind switch
    {
        TaskKind.Detection => "must be 0 or 1",
        TaskKind.Classification => $"must be a class name of 1 to {MaxClassLength} characters",
        _ => "must be a finite number of hours ≥ 0 (not NaN or Infinity)",
    };

    private static string GridRule(TaskSpec task) => task.Kind switch
    {
        TaskKind.Detection => "the times of the rig's rows in samples.csv",
        _ => $"from {UtcTimestamp.Format(task.FromNs)} every {(task.WindowNs / 1e9).ToString(CultureInfo.InvariantCulture)} s",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
