using Fieldlab.Telemetry.Sequences;

namespace Fieldlab.Ingest.Confirmation;

/// <summary>The stored-through watermark of one rig stream: the sample time T such that every row the gateway created
/// with a time at or before T is durably handled (stored or quarantined by ingest, or given up by the gateway).</summary>
/// <remarks>
/// Rule (docs/telemetry.md, "Stored through"): with P the contiguous handled prefix — every seq below P was stored by
/// this ingest after InfluxDB accepted it, or lies below a <c>handled_below</c> the gateway announced — the watermark is
/// the <c>through</c> of the newest announced head whose <c>next_seq</c> ≤ P. Sound because a stream's rows are created
/// in time order: a row at or before a head's <c>through</c> has a seq below its <c>next_seq</c>. It never moves back.
/// A head whose <c>next_seq</c> is below the previous one means the gateway's buffer was started afresh (its seqs count
/// from 0 again): the stored set starts over, the watermark stays (it spoke of rows already handled).
/// Not thread-safe; <see cref="StoredWatermarks"/> locks.
/// </remarks>
public sealed class StreamWatermark
{
    /// <summary>Heads waiting for the prefix to reach them; beyond this the oldest is dropped (the watermark then waits
    /// for a newer head: later, never wrong).</summary>
    public const int MaxPendingHeads = 256;

    private readonly Queue<(long NextSeq, long ThroughNs)> _pending = new();
    private SeqIntervals _handled = new();
    private long _lastNextSeq = -1;

    /// <summary>The watermark (ns since the epoch), or null until one head is covered.</summary>
    public long? ThroughNs { get; private set; }

    /// <summary>Every seq below this is known handled.</summary>
    public long Prefix => _handled.ContiguousEnd;

    /// <summary>Records seqs <c>[from, to]</c> as stored (call only once InfluxDB accepted them). True if the watermark moved.</summary>
    public bool Stored(long from, long to)
    {
        _handled.Add(from, to);
        return Advance();
    }

    /// <summary>Records a head announcement. True if the watermark moved.</summary>
    public bool Announced(long nextSeq, long throughNs, long? handledBelow)
    {
        if (nextSeq < _lastNextSeq)
        {
            // A fresh buffer: seqs from the old numbering say nothing about the new one.
            _handled = new SeqIntervals();
            _pending.Clear();
        }
        _lastNextSeq = nextSeq;
        if (handledBelow is { } below) _handled.SetHandledBelow(Math.Min(below, nextSeq));
        if (_pending.Count == 0 || nextSeq > _pending.Last().NextSeq || throughNs > _pending.Last().ThroughNs)
        {
            if (_pending.Count == MaxPendingHeads) _pending.Dequeue();
            _pending.Enqueue((nextSeq, throughNs));
        }
        return Advance();
    }

    private bool Advance()
    {
        long prefix = Prefix;
        var before = ThroughNs;
        while (_pending.Count > 0 && _pending.Peek().NextSeq <= prefix)
        {
            var head = _pending.Dequeue();
            if (ThroughNs is not { } t || head.ThroughNs > t) ThroughNs = head.ThroughNs;
        }
        return ThroughNs != before;
    }
}
