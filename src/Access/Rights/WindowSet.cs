namespace Fieldlab.Access.Rights;

/// <summary>A set of times as sorted, disjoint, non-adjacent half-open windows: what part of a rig's history a caller
/// may read. Immutable.</summary>
public sealed class WindowSet
{
    // Bounds as ticks; long.MinValue / long.MaxValue stand for unbounded.
    private readonly (long From, long To)[] _spans;

    private WindowSet((long, long)[] spans) => _spans = spans;

    /// <summary>No time at all.</summary>
    public static readonly WindowSet Empty = new([]);

    /// <summary>All of time.</summary>
    public static readonly WindowSet Everything = new([(long.MinValue, long.MaxValue)]);

    /// <summary>The union of <paramref name="windows"/>.</summary>
    public static WindowSet Of(IEnumerable<TimeWindow> windows) => Normalise(windows.Select(w => (Lo(w.From), Hi(w.To))));

    /// <summary>The windows, in time order.</summary>
    public IReadOnlyList<TimeWindow> Windows => [.. _spans.Select(s => new TimeWindow(
        s.From == long.MinValue ? null : new DateTime(s.From, DateTimeKind.Utc), s.To == long.MaxValue ? null : new DateTime(s.To, DateTimeKind.Utc)))];

    /// <summary>True if it holds no time.</summary>
    public bool IsEmpty => _spans.Length == 0;

    /// <summary>True if it holds all of time.</summary>
    public bool IsEverything => _spans.Length == 1 && _spans[0] == (long.MinValue, long.MaxValue);

    /// <summary>True if <paramref name="t"/> is in the set.</summary>
    public bool Contains(DateTime t)
    {
        long x = Utc(t);
        foreach (var (from, to) in _spans) if (x >= from && x < to) return true;
        return false;
    }

    /// <summary>Times in this set or in <paramref name="other"/>.</summary>
    public WindowSet Union(WindowSet other) => Normalise(_spans.Concat(other._spans));

    /// <summary>Times not in this set.</summary>
    public WindowSet Complement()
    {
        var result = new List<(long, long)>();
        long cursor = long.MinValue;
        foreach (var (from, to) in _spans)
        {
            if (from > cursor) result.Add((cursor, from));
            cursor = to;
        }
        if (cursor < long.MaxValue) result.Add((cursor, long.MaxValue));
        return new WindowSet([.. result]);
    }

    /// <summary>Times in both sets.</summary>
    public WindowSet Intersect(WindowSet other) => Complement().Union(other.Complement()).Complement();

    /// <summary>The part of this set inside [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public IReadOnlyList<TimeWindow> Clip(DateTime from, DateTime to) => Intersect(Of([new TimeWindow(from, to)])).Windows;

    /// <inheritdoc />
    public override string ToString() => IsEmpty ? "∅" : string.Join(" ∪ ", Windows);

    private static long Lo(DateTime? t) => t is { } v ? Utc(v) : long.MinValue;

    private static long Hi(DateTime? t) => t is { } v ? Utc(v) : long.MaxValue;

    // Every time in Fieldlab is UTC; an Unspecified one is taken as UTC, not as the server's local time.
    private static long Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime().Ticks : t.Ticks;

    private static WindowSet Normalise(IEnumerable<(long From, long To)> spans)
    {
        var sorted = spans.Where(s => s.From < s.To).OrderBy(s => s.From).ToList();
        var merged = new List<(long From, long To)>();
        foreach (var s in sorted)
        {
            if (merged.Count > 0 && s.From <= merged[^1].To) merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, s.To));
            else merged.Add(s);
        }
        return merged.Count == 0 ? Empty : new WindowSet([.. merged]);
    }
}
