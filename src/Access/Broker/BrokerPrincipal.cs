namespace Fieldlab.Access.Broker;

/// <summary>One broker user: name (also the MQTT client id: the broker runs with <c>use_username_as_clientid</c>),
/// password, and the topics it may read and write.</summary>
public sealed record BrokerPrincipal(string Username, string Password, IReadOnlyList<TopicRule> Rules);
