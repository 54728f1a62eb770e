using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Ingest.Consumption;

/// <summary>A message as ingest received it, with the connection whose broker waits for its acknowledgement (none for a
/// quarantine replay).</summary>
public readonly record struct ReceivedMessage(MqttMessage Message, MqttConnection? Source)
{
    /// <summary>True when the broker waits for an acknowledgement of this message.</summary>
    public bool NeedsAcknowledgement => Source is not null && Message.Delivery != 0;

    /// <summary>Tells the broker the message is handled: stored durably, quarantined, or nothing to store. Safe after the
    /// connection closed: the broker then sends the message again to the next session, and storing it twice is
    /// idempotent (same series, same timestamp).</summary>
    public void Acknowledge()
    {
        if (!NeedsAcknowledgement) return;
        try
        {
            Source!.Acknowledge(Message);
        }
        catch (ObjectDisposedException)
        {
            // Redelivered to the next session.
        }
    }

    /// <summary>The same delivery without its payload: what a batch keeps until it is durable.</summary>
    public ReceivedMessage WithoutPayload() => this with { Message = Message with { Payload = [] } };
}
