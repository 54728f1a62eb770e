using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>Reads one measurement of a rig in [from, to) page by page in time order, within the freezer's windows, and
/// hands over only whole groups of rows that share a time (the axes of one waveform chunk, the series of one model
/// point): a page that ends inside a group is cut before it and the next page starts at that group's time.</summary>
internal static class TimeGroupPager
{
    /// <summary>The pages of <paramref name="select"/> (its limit is the page size), each holding whole time groups.</summary>
    public static async IAsyncEnumerable<RigRows> PagesAsync(RigDataReader reader, RigAddress rig, WindowSet windows, RigSelect select, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        int page = select.Limit;
        // [from, to): the reader includes its end, so the last tick before `to` is the end asked for.
        var end = to.AddTicks(-1);
        var next = from;
        long? resume = null;
        while (next <= end)
        {
            var rows = await reader.ReadAsync(rig, windows, select, next, end, ct);
            int n = rows.Rows.Count, first = 0;
            // A page restarts at the 100 ns tick of the group it cut: skip what the previous page already gave.
            while (resume is { } r && first < n && rows.TimeNanoseconds(first) < r) first++;
            if (n < page)
            {
                if (first < n) yield return Slice(rows, first, n);
                yield break;
            }
            long last = rows.TimeNanoseconds(n - 1);
            int cut = n;
            while (cut > first && rows.TimeNanoseconds(cut - 1) == last) cut--;
            if (cut == first) throw new InvalidOperationException($"{rig} has more than {page} points of {select.Measurement} at {UtcTimestamp.Format(last)}: no page can hold them");
            yield return Slice(rows, first, cut);
            resume = last;
            next = UtcTimestamp.FromNanoseconds(last);
        }
    }

    private static RigRows Slice(RigRows rows, int start, int end) =>
        start == 0 && end == rows.Rows.Count ? rows : new RigRows(rows.Columns, [.. rows.Rows.Skip(start).Take(end - start)]);
}
