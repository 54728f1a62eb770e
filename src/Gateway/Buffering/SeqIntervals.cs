namespace Fieldlab.Gateway.Buffering;

/// <summary>A set of sequence numbers kept as sorted, merged inclusive intervals: what ingest has confirmed of a stream.</summary>
public sealed class SeqIntervals
{
    private readonly List<(long From, long To)> _intervals = [];

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

    /// <summary>Forgets intervals entirely below <paramref name="seq"/>, keeping the set small; nothing below it is asked about any more.</summary>
    public void ForgetBelow(long seq) => _intervals.RemoveAll(iv => iv.To < seq);
}
