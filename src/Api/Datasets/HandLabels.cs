using Fieldlab.Datasets;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>Checks the labels of a freeze request made by hand and turns them into label rows (<c>instructor</c>).</summary>
public static class HandLabels
{
    /// <summary>At most this many hand-made labels per freeze.</summary>
    public const int Max = 10_000;

    /// <summary>The rows, or null with <paramref name="errors"/> filled (field <c>labels[i]</c>) when any label is bad.</summary>
    public static List<LabelRow>? Check(IReadOnlyList<HandLabel>? labels, IReadOnlyCollection<string> rigs, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var rows = new List<LabelRow>();
        if (labels is null) return rows;
        if (labels.Count > Max)
        {
            errors["labels"] = [$"at most {Max} labels"];
            return null;
        }
        long lo = UtcTimestamp.ToNanoseconds(from), hi = UtcTimestamp.ToNanoseconds(to);
        for (int i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            string field = $"labels[{i}]";
            if (label is null) { errors[field] = ["a label object"]; continue; }
            var problems = new List<string>();
            if (string.IsNullOrEmpty(label.Rig) || !rigs.Contains(label.Rig)) problems.Add($"rig: one of the selected rigs ({string.Join(", ", rigs)})");
            var start = Series.SeriesRequest.ParseInstant(label.Start, now);
            var end = Series.SeriesRequest.ParseInstant(label.End, now);
            if (start is null) problems.Add($"start: '{label.Start}' is not a time");
            if (end is null) problems.Add($"end: '{label.End}' is not a time");
            if (start is { } s && end is { } e)
            {
                if (e <= s) problems.Add("end: after start");
                else if (UtcTimestamp.ToNanoseconds(s) < lo || UtcTimestamp.ToNanoseconds(e) > hi) problems.Add("start/end: inside the dataset's range [from, to)");
            }
            var name = label.Label?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl)) problems.Add("label: a class name of 1–100 characters");
            if (label.Detail is { Length: > 1000 }) problems.Add("detail: at most 1000 characters");
            if (problems.Count > 0) { errors[field] = [.. problems]; continue; }
            rows.Add(new LabelRow(UtcTimestamp.ToNanoseconds(start!.Value), UtcTimestamp.ToNanoseconds(end!.Value), label.Rig!, "instructor", name!, null, label.Detail));
        }
        return errors.Keys.Any(k => k.StartsWith("labels", StringComparison.Ordinal)) ? null : rows;
    }
}
