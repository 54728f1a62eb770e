using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Confirmation;

/// <summary>The sequence ranges handled (stored or quarantined) in the batch being written; after InfluxDB accepted the
/// write they become one acknowledgement per rig and stream, merged into as few ranges as possible.</summary>
public sealed class AckLedger
{
    private readonly Dictionary<(RigAddress Rig, string Stream), List<(long From, long To)>> _pending = [];

    /// <summary>Ranges recorded since the last <see cref="Take"/>.</summary>
    public int Count => _pending.Count;

    /// <summary>Records that rows <c>[firstSeq, firstSeq + count)</c> of a stream are in the batch.</summary>
    public void Add(RigAddress rig, string stream, long firstSeq, int count)
    {
        if (count <= 0) return;
        if (!_pending.TryGetValue((rig, stream), out var ranges)) _pending[(rig, stream)] = ranges = [];
        ranges.Add((firstSeq, firstSeq + count - 1));
    }

    /// <summary>The acknowledgements to publish now that the batch is stored; clears the ledger.</summary>
    public List<(RigAddress Rig, Acknowledgement Ack)> Take()
    {
        var acks = Peek();
        _pending.Clear();
        return acks;
    }

    /// <summary>The acknowledgements the ledger would give, without clearing it.</summary>
    public List<(RigAddress Rig, Acknowledgement Ack)> Peek()
    {
        var acks = new List<(RigAddress, Acknowledgement)>(_pending.Count);
        foreach (var ((rig, stream), pending) in _pending)
        {
            var ranges = pending.OrderBy(r => r.From).ToList();
            var merged = new List<long[]>();
            foreach (var (from, to) in ranges)
            {
                if (merged.Count > 0 && from <= merged[^1][1] + 1) merged[^1][1] = Math.Max(merged[^1][1], to);
                else merged.Add([from, to]);
            }
            acks.Add((rig, new Acknowledgement { Stream = stream, Ranges = merged }));
        }
        return acks;
    }
}
