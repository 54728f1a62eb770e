namespace Fieldlab.Telemetry.Wire;

/// <summary>Builds and parses the topic namespace <c>fieldlab/{site}/{rig}/{channel}</c>.</summary>
public readonly record struct FieldlabTopic(RigAddress Rig, TopicChannel Channel)
{
    /// <summary>First segment of every Fieldlab topic.</summary>
    public const string Root = "fieldlab";

    /// <summary>Dead-letter topic for messages whose topic names no valid rig.</summary>
    public const string SystemDeadLetter = "fieldlab/_system/deadletter";

    /// <summary>The topic string.</summary>
    public override string ToString() => $"{Root}/{Rig.Site}/{Rig.Rig}/{ChannelSegment(Channel)}";

    /// <summary>Topic of a rig's channel.</summary>
    public static string For(RigAddress rig, TopicChannel channel) => new FieldlabTopic(rig, channel).ToString();

    /// <summary>Subscription filter for one channel of every rig at every site.</summary>
    public static string AllRigs(TopicChannel channel) => $"{Root}/+/+/{ChannelSegment(channel)}";

    /// <summary>Parses a received topic; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string topic, out FieldlabTopic parsed, out string? error)
    {
        parsed = default;
        if (topic.Contains('+') || topic.Contains('#')) { error = "topic contains a wildcard"; return false; }
        var parts = topic.Split('/');
        if (parts.Length != 4) { error = $"expected fieldlab/{{site}}/{{rig}}/{{channel}}, got {parts.Length} levels"; return false; }
        if (parts[0] != Root) { error = $"topic does not start with '{Root}/'"; return false; }
        if (WireNames.ExplainInvalidSegment(parts[1]) is { } site) { error = $"invalid site id: {site}"; return false; }
        if (WireNames.ExplainInvalidSegment(parts[2]) is { } rig) { error = $"invalid rig id: {rig}"; return false; }
        TopicChannel? channel = parts[3] switch
        {
            "birth" => TopicChannel.Birth,
            "state" => TopicChannel.State,
            "samples" => TopicChannel.Samples,
            "deadletter" => TopicChannel.DeadLetter,
            _ => null,
        };
        if (channel is null) { error = $"unknown channel '{parts[3]}'"; return false; }
        parsed = new FieldlabTopic(new RigAddress(parts[1], parts[2]), channel.Value);
        error = null;
        return true;
    }

    private static string ChannelSegment(TopicChannel channel) => channel switch
    {
        TopicChannel.Birth => "birth",
        TopicChannel.State => "state",
        TopicChannel.Samples => "samples",
        TopicChannel.DeadLetter => "deadletter",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
