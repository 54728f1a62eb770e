namespace Fieldlab.Datasets.Assignments;

/// <summary>Which labels of a dataset are faults, and which class covers a moment: staged faults (<c>truth</c>) and
/// ranges labelled by hand (<c>instructor</c>) are; a hand-made <c>normal</c> range is not a fault (but is a class for
/// classification); maintenance actions are moments, not states of the rig, and count for nothing.</summary>
public sealed class FaultLabels
{
    /// <summary>The class of a moment no label covers.</summary>
    public const string Normal = "normal";

    private readonly Dictionary<string, List<LabelRow>> _byRig;
    private readonly long _endNs;

    /// <summary>The ranges of <paramref name="labels"/> that describe a rig's state; an open range lasts to <paramref name="endNs"/>.</summary>
    public FaultLabels(IEnumerable<LabelRow> labels, long endNs)
    {
        _endNs = endNs;
        _byRig = labels.Where(l => l.Source is "truth" or "instructor")
            .GroupBy(l => l.Rig, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(l => l.StartNs).ToList(), StringComparer.Ordinal);
    }

    /// <summary>End of a range (open ranges last to the dataset's end).</summary>
    public long EndOf(LabelRow label) => label.EndNs ?? _endNs;

    /// <summary>True when a fault (any class but <c>normal</c>) covers the moment.</summary>
    public bool IsFault(string rig, long timeNs) => Covering(rig, timeNs).Any(l => l.Label != Normal);

    /// <summary>The class at a moment: a hand-made label before a recorded one (the instructor corrects the record),
    /// then the latest-starting range, else <c>normal</c>.</summary>
    public string ClassAt(string rig, long timeNs) => Covering(rig, timeNs)
        .OrderByDescending(l => l.Source == "instructor").ThenByDescending(l => l.StartNs).Select(l => l.Label).FirstOrDefault() ?? Normal;

    /// <summary>The ranges of a rig whose label is <paramref name="label"/>, by start.</summary>
    public IEnumerable<LabelRow> Ranges(string rig, string label) =>
        _byRig.TryGetValue(rig, out var list) ? list.Where(l => l.Label == label) : [];

    private IEnumerable<LabelRow> Covering(string rig, long timeNs) =>
        _byRig.TryGetValue(rig, out var list) ? list.Where(l => l.StartNs <= timeNs && timeNs < Math.Max(EndOf(l), l.StartNs + 1)) : [];
}
