using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Samples;

/// <summary>What became of one sample message.</summary>
public enum BatchVerdict
{
    /// <summary>Every row was written to the pending batch.</summary>
    Stored,

    /// <summary>Some rows were written, the others quarantined.</summary>
    PartlyStored,

    /// <summary>The whole message was quarantined.</summary>
    Rejected,

    /// <summary>No birth is known for the rig yet; the message waits for it.</summary>
    AwaitingBirth,
}

/// <summary>The result of processing one message: the verdict, the rows written, the dead letter if any, and the
/// sequence range it handled (stored or quarantined) — what ingest confirms once the write is durable; null
/// <see cref="Stream"/> when the range is not known (the message could not be parsed).</summary>
public readonly record struct BatchOutcome(BatchVerdict Verdict, int RowsWritten, int RowsRejected, DeadLetter? DeadLetter,
    string? Stream = null, long FirstSeq = 0, int Count = 0);
