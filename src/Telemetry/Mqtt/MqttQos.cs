namespace Fieldlab.Telemetry.Mqtt;

/// <summary>MQTT quality of service levels that Fieldlab uses (QoS 2 is deliberately not offered).</summary>
public enum MqttQos
{
    /// <summary>QoS 0: fire and forget; lost if the connection drops.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: resent until the broker's PUBACK; may arrive twice.</summary>
    AtLeastOnce = 1,
}
