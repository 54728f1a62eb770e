namespace Fieldlab.Telemetry.Wire;

/// <summary>A batch of fault ground-truth events on <c>fieldlab/{site}/{rig}/truth</c>: what was really done to the rig,
/// so that a model's verdict can be scored and a student can compare it with what happened.</summary>
/// <remarks>Sequence-numbered like samples (one per event), so the same buffering and confirmation applies.</remarks>
public sealed record TruthBatch
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>The truth stream id (always <c>truth</c>).</summary>
    public string Stream { get; init; } = "truth";

    /// <summary>Sequence number of the first event.</summary>
    public required long Seq { get; init; }

    /// <summary>The events, oldest first.</summary>
    public required IReadOnlyList<TruthEvent> Events { get; init; }
}

/// <summary>One change (or periodic level) of an injected fault.</summary>
/// <param name="T">When (wire timestamp).</param>
/// <param name="Fault">Fault kind, e.g. <c>bearing_outer</c>, <c>cavitation</c>.</param>
/// <param name="Action"><c>start</c>, <c>step</c>, <c>clear</c>, or <c>level</c> (periodic severity while active).</param>
/// <param name="Severity">Severity after the event, 0 (none) to 1 (failed).</param>
/// <param name="ProgressionPerHour">Severity added per hour of operation while active.</param>
/// <param name="Source"><c>schedule</c>, <c>command</c> or <c>replay</c>.</param>
/// <param name="CommandId">The id of the command that caused it, if any.</param>
public sealed record TruthEvent(string T, string Fault, string Action, double Severity, double ProgressionPerHour, string Source, string? CommandId = null);

/// <summary>Ingest's confirmation on <c>fieldlab/{site}/{rig}/ack</c> that rows of a stream are durably handled (stored in
/// InfluxDB, or quarantined there): the gateway may drop them from its buffer.</summary>
public sealed record Acknowledgement
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>Stream id.</summary>
    public required string Stream { get; init; }

    /// <summary>Inclusive sequence ranges <c>[from, to]</c>.</summary>
    public required IReadOnlyList<long[]> Ranges { get; init; }
}

/// <summary>A gateway's report of its own state on <c>fieldlab/{site}/{rig}/health</c>: how much it holds, how much it
/// lost, how far behind confirmation is.</summary>
public sealed record GatewayHealth
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>When (wire timestamp).</summary>
    public required string T { get; init; }

    /// <summary>Connected to the broker.</summary>
    public bool Connected { get; init; }

    /// <summary>Rows in the on-disk buffer that are not confirmed yet.</summary>
    public long UnconfirmedRows { get; init; }

    /// <summary>Bytes the buffer occupies on disk.</summary>
    public long BufferedBytes { get; init; }

    /// <summary>Unconfirmed rows that have not been sent in this connection and wait for the backlog lane.</summary>
    public long BacklogRows { get; init; }

    /// <summary>Rows handed to the broker since start.</summary>
    public long PublishedRows { get; init; }

    /// <summary>Rows confirmed since start.</summary>
    public long ConfirmedRows { get; init; }

    /// <summary>Rows dropped unconfirmed because the buffer was full, since the buffer was created.</summary>
    public long DroppedRows { get; init; }

    /// <summary>Records sent again because no confirmation came in time, since start.</summary>
    public long Resends { get; init; }

    /// <summary>Age of the oldest unconfirmed row's record, seconds (0 when none).</summary>
    public double OldestUnconfirmedSeconds { get; init; }
}

/// <summary>A command to a rig's gateway on <c>fieldlab/{site}/{rig}/cmd/fault</c>: start, step or clear a fault.</summary>
public sealed record FaultCommand
{
    /// <summary>Caller's id, echoed in the reply.</summary>
    public string? Id { get; init; }

    /// <summary><c>start</c>, <c>step</c> (set a new severity or rate) or <c>clear</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Fault kind; the rig's birth-time fault list says which exist.</summary>
    public string? Fault { get; init; }

    /// <summary>Severity 0..1 to set (start, step).</summary>
    public double? Severity { get; init; }

    /// <summary>Severity added per hour while active (start, step).</summary>
    public double? ProgressionPerHour { get; init; }
}

/// <summary>The gateway's answer on <c>fieldlab/{site}/{rig}/cmd/reply</c>.</summary>
/// <param name="Id">The command's id.</param>
/// <param name="Ok">True if the command was carried out.</param>
/// <param name="Detail">What was done, or exactly what was wrong.</param>
/// <param name="Active">Active faults and their severities after the command.</param>
public sealed record CommandReply(string? Id, bool Ok, string Detail, IReadOnlyDictionary<string, double> Active);
