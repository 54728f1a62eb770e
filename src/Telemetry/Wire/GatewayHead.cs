namespace Fieldlab.Telemetry.Wire;

/// <summary>A gateway's retained announcement on <c>fieldlab/{site}/{rig}/head</c> of how far each stream has been
/// created: the input of ingest's stored-through watermark (docs/telemetry.md, "Stored through").</summary>
public sealed record GatewayHead
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>When the gateway announced it (wire timestamp).</summary>
    public required string T { get; init; }

    /// <summary>One entry per stream that created rows since the gateway started.</summary>
    public required IReadOnlyList<StreamHead> Streams { get; init; }
}

/// <summary>Where one stream stood when announced.</summary>
/// <param name="Stream">Stream id.</param>
/// <param name="NextSeq">The stream's next sequence number: every row created so far has a smaller one.</param>
/// <param name="Through">Sample time (wire timestamp) of the newest row created, seq <c>next_seq − 1</c>; rows are
/// created in time order, so every row with a time at or before it has a seq below <paramref name="NextSeq"/>.</param>
/// <param name="HandledBelow">Every seq below it is confirmed by ingest or was given up (lost, counted); absent when
/// the gateway confirms on the broker's PUBACK alone, which says nothing about storage.</param>
public sealed record StreamHead(string Stream, long NextSeq, string Through, long? HandledBelow = null);
