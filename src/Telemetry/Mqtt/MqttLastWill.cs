namespace Fieldlab.Telemetry.Mqtt;

/// <summary>The message the broker publishes on the client's behalf when the connection dies without a DISCONNECT.</summary>
public sealed record MqttLastWill(string Topic, byte[] Payload, MqttQos Qos = MqttQos.AtLeastOnce, bool Retain = true);
