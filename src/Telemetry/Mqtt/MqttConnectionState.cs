namespace Fieldlab.Telemetry.Mqtt;

/// <summary>Where a <see cref="MqttConnection"/> is in its life.</summary>
public enum MqttConnectionState
{
    /// <summary>Not connected; the network thread is (re)trying with backoff.</summary>
    Connecting,

    /// <summary>CONNACK accepted; publishes and subscriptions flow.</summary>
    Connected,

    /// <summary>Disposed; nothing will happen any more.</summary>
    Closed,
}
