namespace Fieldlab.Telemetry.Sequences;

/// <summary>A set of sequence numbers: everything below <see cref="HandledBelow"/>, plus sorted, merged inclusive
/// intervals above it — what ingest has confirmed of a stream (gateway), or stored of it (ingest's watermark).</summary>
public sealed class SeqIntervals
{
    private readonly List<(long From, long To)> _intervals = [];

    /// <summary>Every number below this is in the set.</summary>
    public long HandledBelow { get; private set; }

    /// <summary>Every number below this is in the set: <see cref="HandledBelow"/>, or the end of an interval that reaches it.</summary>
    public long ContiguousEnd => _intervals.Count > 0 && _intervals[0].From <= HandledBelow ? Math.Max(HandledBelow, _intervals[0].To + 1) : HandledBelow;

    /// <summary>The intervals, sorted and disjoint.</summary>
    public IReadOnlyList<(long From, long To)> Intervals => _intervals;

    /// <summary>Adds <c>[from, to]</c>, merging with neighbours that overlap or touch.</summary>
    public void Add(long from, long to)
    {
        if (to < from) return;
        int i = 0;
        while (i < _intervals.Count && _intervals[i].To < from - 1) i++;
        long newFrom = from, newTo = to;
        int j = i;
        while (j < _intervals.Count && _intervals[j].From <= to + 1)
        {
            newFrom = Math.Min(newFrom, _intervals[j].From);
            newTo = Math.Max(newTo, _intervals[j].To);
            j++;
        }
        _intervals.RemoveRange(i, j - i);
        _intervals.Insert(i, (newFrom, newTo));
    }

    /// <summary>True if every number in <c>[from, to]</c> is in the set.</summary>
    public bool Contains(long from, long to)
    {
        if (to < HandledBelow) return true;
        from = Math.Max(from, HandledBelow);
        int lo = 0, hi = _intervals.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (_intervals[mid].To < from) lo = mid + 1;
            else if (_intervals[mid].From > from) hi = mid - 1;
            else return _intervals[mid].To >= to;
        }
        return false;
    }

    /// <summary>Declares everything below <paramref name="seq"/> handled (confirmed, or given up), folding the intervals
    /// below it into the watermark so the set stays small.</summary>
    public void SetHandledBelow(long seq)
    {
        if (seq <= HandledBelow) return;
        HandledBelow = seq;
        _intervals.RemoveAll(iv => iv.To < seq);
        // An interval reaching past the watermark extends it.
        if (_intervals.Count > 0 && _intervals[0].From <= HandledBelow)
        {
            HandledBelow = Math.Max(HandledBelow, _intervals[0].To + 1);
            _intervals.RemoveAt(0);
        }
    }
}
