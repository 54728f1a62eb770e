namespace Fieldlab.Telemetry.Mqtt;

/// <summary>A message received from the broker. The payload is a private copy owned by the receiver.
/// <see cref="Delivery"/> identifies it for <see cref="MqttConnection.Acknowledge"/> (0: nothing to acknowledge).</summary>
public readonly record struct MqttMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain)
{
    /// <summary>The connection's handle for acknowledging this message: 0 when it needs none (QoS 0, automatic
    /// acknowledgement, or a message that did not come from a broker, such as a quarantine replay).</summary>
    public long Delivery { get; init; }
}
