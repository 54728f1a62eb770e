namespace Fieldlab.Telemetry.Wire;

/// <summary>The kinds of topic under <c>fieldlab/{site}/{rig}/</c>; see docs/telemetry.md for each.</summary>
public enum TopicChannel
{
    /// <summary><c>birth</c>: retained description of the rig (kind, streams, sensors).</summary>
    Birth,

    /// <summary><c>state</c>: retained online/offline; offline is the gateway's last will.</summary>
    State,

    /// <summary><c>samples</c>: live sample batches.</summary>
    Samples,

    /// <summary><c>deadletter</c>: messages ingest could not accept, with the reason.</summary>
    DeadLetter,
}
