using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Confirmation;

/// <summary>Every rig stream's <see cref="StreamWatermark"/>, fed by the write stage (ranges InfluxDB accepted) and by
/// the gateways' retained heads; remembers which rigs' watermarks moved since the last <see cref="TakeMoved"/>. Thread-safe.</summary>
public sealed class StoredWatermarks
{
    private readonly object _gate = new();
    private readonly Dictionary<(RigAddress Rig, string Stream), StreamWatermark> _streams = [];
    private readonly HashSet<RigAddress> _moved = [];

    /// <summary>Records ranges that are durably handled: call only after InfluxDB accepted the batch that held them.</summary>
    public void Stored(IEnumerable<(RigAddress Rig, Acknowledgement Ack)> acks)
    {
        lock (_gate)
        {
            foreach (var (rig, ack) in acks)
            {
                var watermark = Stream(rig, ack.Stream);
                bool moved = false;
                foreach (var range in ack.Ranges) moved |= watermark.Stored(range[0], range[1]);
                if (moved) _moved.Add(rig);
            }
        }
    }

    /// <summary>Records a gateway's head announcement.</summary>
    public void Announced(RigAddress rig, GatewayHead head)
    {
        lock (_gate)
        {
            foreach (var s in head.Streams)
            {
                if (!UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(s.Through), out long through)) continue;
                if (Stream(rig, s.Stream).Announced(s.NextSeq, through, s.HandledBelow)) _moved.Add(rig);
            }
        }
    }

    /// <summary>The watermark of one stream (ns), or null while unknown.</summary>
    public long? Through(RigAddress rig, string stream)
    {
        lock (_gate) return _streams.TryGetValue((rig, stream), out var w) ? w.ThroughNs : null;
    }

    /// <summary>The rigs whose watermark moved since the last call, each with every stream's known watermark; clears the list.</summary>
    public List<(RigAddress Rig, IReadOnlyList<StreamThrough> Streams)> TakeMoved()
    {
        lock (_gate)
        {
            var moved = new List<(RigAddress, IReadOnlyList<StreamThrough>)>(_moved.Count);
            foreach (var rig in _moved)
            {
                var streams = _streams.Where(kv => kv.Key.Rig == rig && kv.Value.ThroughNs is not null).OrderBy(kv => kv.Key.Stream, StringComparer.Ordinal)
                    .Select(kv => new StreamThrough(kv.Key.Stream, UtcTimestamp.Format(kv.Value.ThroughNs!.Value))).ToList();
                moved.Add((rig, streams));
            }
            _moved.Clear();
            return moved;
        }
    }

    private StreamWatermark Stream(RigAddress rig, string stream)
    {
        if (!_streams.TryGetValue((rig, stream), out var watermark)) _streams[(rig, stream)] = watermark = new StreamWatermark();
        return watermark;
    }
}
