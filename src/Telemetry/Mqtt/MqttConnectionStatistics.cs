namespace Fieldlab.Telemetry.Mqtt;

/// <summary>A snapshot of one connection's counters, for health endpoints and self-monitoring.</summary>
/// <param name="Connects">Successful CONNACKs since start (the first connect included).</param>
/// <param name="ConnectionLosses">Times an established connection was lost.</param>
/// <param name="MessagesReceived">Messages handed to <see cref="MqttConnection.Messages"/>.</param>
/// <param name="ReceiveBacklog">Messages received but not yet read by the consumer.</param>
/// <param name="PublishesInFlight">Publishes sent or queued and not yet acknowledged.</param>
public readonly record struct MqttConnectionStatistics(
    long Connects,
    long ConnectionLosses,
    long MessagesReceived,
    int ReceiveBacklog,
    int PublishesInFlight);
