namespace Fieldlab.Telemetry.Wire;

/// <summary>The kinds of topic under <c>fieldlab/{site}/{rig}/</c>; docs/telemetry.md describes each.</summary>
public enum TopicChannel
{
    /// <summary><c>birth</c>: retained description of the rig (kind, streams, sensors).</summary>
    Birth,

    /// <summary><c>state</c>: retained online/offline; offline is the gateway's last will.</summary>
    State,

    /// <summary><c>samples</c>: live sample batches.</summary>
    Samples,

    /// <summary><c>backlog</c>: sample batches (or truth events) that waited in a gateway's buffer; rate-shaped, beside the live lane.</summary>
    Backlog,

    /// <summary><c>waveform</c>: binary frames of a high-rate stream (vibration).</summary>
    Waveform,

    /// <summary><c>truth</c>: ground truth of injected faults.</summary>
    Truth,

    /// <summary><c>health</c>: the gateway's own state (buffer, delivery, losses).</summary>
    Health,

    /// <summary><c>ack</c>: ingest's confirmation of durably stored sequence ranges, to the gateway.</summary>
    Ack,

    /// <summary><c>deadletter</c>: messages ingest could not accept, with the reason.</summary>
    DeadLetter,

    /// <summary><c>cmd/{verb}</c>: a command to the rig's gateway (e.g. <c>cmd/fault</c>).</summary>
    Command,

    /// <summary><c>cmd/reply</c>: the gateway's answer to a command.</summary>
    CommandReply,

    /// <summary><c>alerts</c>: condition-monitoring alerts raised and cleared by ingest.</summary>
    Alerts,

    /// <summary><c>head</c>: retained; the gateway's announcement of how far each stream has been created.</summary>
    Head,

    /// <summary><c>stored</c>: retained; ingest's stored-through watermark per stream, for the API's dataset freezer.</summary>
    Stored,
}
