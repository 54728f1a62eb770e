namespace Fieldlab.Telemetry.Mqtt;

/// <summary>A snapshot of one connection's counters, for health endpoints and self-monitoring.</summary>
/// <param name="Connects">Successful CONNACKs since start (the first connect included).</param>
/// <param name="ConnectionLosses">Times an established connection was lost.</param>
/// <param name="MessagesReceived">Messages handed to <see cref="MqttConnection.Messages"/>.</param>
/// <param name="ReceiveBacklog">Messages received but not yet read by the consumer.</param>
/// <param name="PublishesInFlight">Publishes handed to the library and not yet acknowledged (at most the window).</param>
/// <param name="PublishesWaiting">Publishes waiting for room in the in-flight window.</param>
/// <param name="AcknowledgementsPending">Received QoS 1 messages not yet acknowledged (manual acknowledgement).</param>
/// <param name="AcknowledgementsDropped">Acknowledgements not sent because the message came on an earlier connection
/// (the broker sends those messages again).</param>
public readonly record struct MqttConnectionStatistics(
    long Connects,
    long ConnectionLosses,
    long MessagesReceived,
    int ReceiveBacklog,
    int PublishesInFlight,
    int PublishesWaiting = 0,
    int AcknowledgementsPending = 0,
    long AcknowledgementsDropped = 0);
