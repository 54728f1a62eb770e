namespace Fieldlab.Telemetry.Mqtt;

/// <summary>A message received from the broker. The payload is a private copy owned by the receiver.</summary>
public readonly record struct MqttMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain);
