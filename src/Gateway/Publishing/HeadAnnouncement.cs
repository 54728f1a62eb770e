using Fieldlab.Gateway.Buffering;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Publishing;

/// <summary>Builds the gateway's retained <c>head</c> announcement: per stream created since start, the next seq, the
/// sample time of the newest row and — when ingest confirms — what the buffer has seen confirmed or given up.</summary>
public static class HeadAnnouncement
{
    /// <summary>How often the head is announced: the watermark can be no fresher than this.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>The announcement, or null while no stream has created a row.</summary>
    public static GatewayHead? Build(OutboxWriter writer, bool confirmedByIngest, DateTimeOffset now)
    {
        var streams = new List<StreamHead>();
        foreach (var (stream, head) in writer.Heads.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            // Read after the head: what was handled can only have grown since, and never past the head's next seq.
            long? handled = confirmedByIngest ? Math.Min(writer.Outbox.HandledBelow(stream), head.NextSeq) : null;
            streams.Add(new StreamHead(stream, head.NextSeq, UtcTimestamp.Format(head.NewestNs), handled));
        }
        return streams.Count == 0 ? null : new GatewayHead { T = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(now)), Streams = streams };
    }
}
