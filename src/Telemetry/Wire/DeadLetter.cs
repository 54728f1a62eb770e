namespace Fieldlab.Telemetry.Wire;

/// <summary>A message (or part of one) that ingest did not store, published on <c>fieldlab/{site}/{rig}/deadletter</c>
/// (or <see cref="FieldlabTopic.SystemDeadLetter"/>) with the reason, so a student or publisher can see what went wrong.</summary>
public sealed record DeadLetter
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>Topic the message arrived on.</summary>
    public required string Topic { get; init; }

    /// <summary>Machine-readable reason, one of <see cref="RejectReasons"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>Human explanation, naming the offending field, row or value.</summary>
    public required string Detail { get; init; }

    /// <summary>The start of the payload (at most 512 characters, control characters escaped).</summary>
    public required string Excerpt { get; init; }

    /// <summary>Payload size in bytes.</summary>
    public required int Bytes { get; init; }

    /// <summary>When ingest received the message (wire timestamp).</summary>
    public required string Received { get; init; }

    /// <summary>Sequence numbers of the rejected rows when only some rows of a batch were rejected; null when the whole message was.</summary>
    public IReadOnlyList<long>? Seqs { get; init; }
}
