namespace Fieldlab.Telemetry.Mqtt;

/// <summary>Which client library a <see cref="MqttConnection"/> runs on.</summary>
public enum MqttClientLibrary
{
    /// <summary>Eclipse Mosquitto's C library (Debian <c>libmosquitto1</c>) through P/Invoke; acknowledges received
    /// messages itself, before the application sees them.</summary>
    Libmosquitto = 1,
}
