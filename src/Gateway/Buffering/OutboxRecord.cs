using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Buffering;

/// <summary>One buffered message: the encoded payload of rows <c>[FirstSeq, FirstSeq + Count)</c> of one stream,
/// where it lies on disk, and how far its delivery has come. The payload itself stays on disk.</summary>
public sealed class OutboxRecord
{
    internal OutboxRecord(long id, TopicChannel channel, string stream, long firstSeq, int count, long appendedAtNs, int segment, long offset, int payloadOffset, int payloadLength)
    {
        Id = id;
        Channel = channel;
        Stream = stream;
        FirstSeq = firstSeq;
        Count = count;
        AppendedAtNs = appendedAtNs;
        Segment = segment;
        Offset = offset;
        PayloadOffset = payloadOffset;
        PayloadLength = payloadLength;
    }

    /// <summary>Append order across all streams.</summary>
    public long Id { get; }

    /// <summary>Channel the payload belongs on (<c>samples</c>, <c>waveform</c>, <c>truth</c>).</summary>
    public TopicChannel Channel { get; }

    /// <summary>Stream id.</summary>
    public string Stream { get; }

    /// <summary>Sequence number of the first row.</summary>
    public long FirstSeq { get; }

    /// <summary>Rows in the record.</summary>
    public int Count { get; }

    /// <summary>Last sequence number in the record.</summary>
    public long LastSeq => FirstSeq + Count - 1;

    /// <summary>When it was buffered (ns since the epoch).</summary>
    public long AppendedAtNs { get; }

    internal int Segment { get; }

    internal long Offset { get; }

    internal int PayloadOffset { get; }

    /// <summary>Payload size in bytes.</summary>
    public int PayloadLength { get; }

    /// <summary>Where delivery stands.</summary>
    public DeliveryState State { get; internal set; }

    /// <summary>How often it was handed to the broker.</summary>
    public int Sends { get; internal set; }

    /// <summary>When it was last handed to the broker (ns since the epoch), 0 if never.</summary>
    public long LastSentNs { get; internal set; }
}

/// <summary>Delivery states of a buffered record.</summary>
public enum DeliveryState
{
    /// <summary>Not handed to the broker (in this process's life).</summary>
    Unsent,

    /// <summary>Handed to the connection; PUBACK pending.</summary>
    InFlight,

    /// <summary>The broker acknowledged it; waiting for ingest's confirmation.</summary>
    Published,

    /// <summary>Confirmed: may be forgotten.</summary>
    Confirmed,
}
