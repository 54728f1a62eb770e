namespace Fieldlab.Telemetry.Wire;

/// <summary>Builds and parses the topic namespace <c>fieldlab/{site}/{rig}/{channel}</c>, plus <c>…/cmd/{verb}</c> and
/// <c>…/backlog/{samples|waveform|truth}</c>; <see cref="Sub"/> holds the verb or the lane's original channel.</summary>
public readonly record struct FieldlabTopic(RigAddress Rig, TopicChannel Channel, string? Sub = null)
{
    /// <summary>First segment of every Fieldlab topic.</summary>
    public const string Root = "fieldlab";

    /// <summary>Dead-letter topic for messages whose topic names no valid rig.</summary>
    public const string SystemDeadLetter = "fieldlab/_system/deadletter";

    private static readonly Dictionary<string, TopicChannel> Channels = new(StringComparer.Ordinal)
    {
        ["birth"] = TopicChannel.Birth,
        ["state"] = TopicChannel.State,
        ["samples"] = TopicChannel.Samples,
        ["waveform"] = TopicChannel.Waveform,
        ["truth"] = TopicChannel.Truth,
        ["health"] = TopicChannel.Health,
        ["ack"] = TopicChannel.Ack,
        ["deadletter"] = TopicChannel.DeadLetter,
        ["alerts"] = TopicChannel.Alerts,
        ["head"] = TopicChannel.Head,
        ["stored"] = TopicChannel.Stored,
    };

    /// <summary>The topic string.</summary>
    public override string ToString() => Channel switch
    {
        TopicChannel.Command => $"{Root}/{Rig.Site}/{Rig.Rig}/cmd/{Sub}",
        TopicChannel.Backlog when Sub is not null => $"{Root}/{Rig.Site}/{Rig.Rig}/backlog/{Sub}",
        TopicChannel.CommandReply => $"{Root}/{Rig.Site}/{Rig.Rig}/cmd/reply",
        _ => $"{Root}/{Rig.Site}/{Rig.Rig}/{Segment(Channel)}",
    };

    /// <summary>Topic of a rig's channel.</summary>
    public static string For(RigAddress rig, TopicChannel channel) => new FieldlabTopic(rig, channel).ToString();

    /// <summary>Topic of a command verb for a rig.</summary>
    public static string Command(RigAddress rig, string verb)
    {
        var problem = verb == "reply" ? "reserved" : WireNames.ExplainInvalidSensor(verb);
        if (problem is not null) throw new ArgumentException($"Invalid command verb '{verb}': {problem}.", nameof(verb));
        return new FieldlabTopic(rig, TopicChannel.Command, verb).ToString();
    }

    /// <summary>Topic of the backlog lane for a channel (<c>samples</c>, <c>waveform</c>, <c>truth</c>).</summary>
    public static string Backlog(RigAddress rig, TopicChannel channel) =>
        new FieldlabTopic(rig, TopicChannel.Backlog, BacklogChannels.First(kv => kv.Value == channel).Key).ToString();

    /// <summary>Subscription filter for one channel of every rig at every site.</summary>
    public static string AllRigs(TopicChannel channel) => $"{Root}/+/+/{Segment(channel)}";

    /// <summary>The channel a backlog topic carries (its <see cref="Sub"/>), or the channel itself.</summary>
    public TopicChannel Carried => Channel == TopicChannel.Backlog && Sub is not null ? BacklogChannels[Sub] : Channel;

    private static readonly Dictionary<string, TopicChannel> BacklogChannels = new(StringComparer.Ordinal)
    {
        ["samples"] = TopicChannel.Samples,
        ["waveform"] = TopicChannel.Waveform,
        ["truth"] = TopicChannel.Truth,
    };

    /// <summary>Subscription filter for every command verb of one rig (replies excluded by the gateway itself).</summary>
    public static string CommandsOf(RigAddress rig) => $"{Root}/{rig.Site}/{rig.Rig}/cmd/+";

    /// <summary>Parses a received topic; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string topic, out FieldlabTopic parsed, out string? error)
    {
        parsed = default;
        if (topic.Contains('+') || topic.Contains('#')) { error = "topic contains a wildcard"; return false; }
        var parts = topic.Split('/');
        if (parts.Length is < 4 or > 5) { error = $"expected fieldlab/{{site}}/{{rig}}/{{channel}}, got {parts.Length} levels"; return false; }
        if (parts[0] != Root) { error = $"topic does not start with '{Root}/'"; return false; }
        if (WireNames.ExplainInvalidSegment(parts[1]) is { } site) { error = $"invalid site id: {site}"; return false; }
        if (WireNames.ExplainInvalidSegment(parts[2]) is { } rig) { error = $"invalid rig id: {rig}"; return false; }
        var address = new RigAddress(parts[1], parts[2]);
        if (parts[3] == "cmd")
        {
            if (parts.Length != 5) { error = "expected fieldlab/{site}/{rig}/cmd/{verb}"; return false; }
            if (parts[4] == "reply") { parsed = new FieldlabTopic(address, TopicChannel.CommandReply); error = null; return true; }
            if (WireNames.ExplainInvalidSensor(parts[4]) is { } verb) { error = $"invalid command verb: {verb}"; return false; }
            parsed = new FieldlabTopic(address, TopicChannel.Command, parts[4]);
            error = null;
            return true;
        }
        if (parts[3] == "backlog")
        {
            if (parts.Length != 5 || !BacklogChannels.ContainsKey(parts[4])) { error = "expected fieldlab/{site}/{rig}/backlog/{samples|waveform|truth}"; return false; }
            parsed = new FieldlabTopic(address, TopicChannel.Backlog, parts[4]);
            error = null;
            return true;
        }
        if (parts.Length != 4) { error = $"expected fieldlab/{{site}}/{{rig}}/{{channel}}, got {parts.Length} levels"; return false; }
        if (!Channels.TryGetValue(parts[3], out var channel)) { error = $"unknown channel '{parts[3]}'"; return false; }
        parsed = new FieldlabTopic(address, channel);
        error = null;
        return true;
    }

    private static string Segment(TopicChannel channel) => channel switch
    {
        TopicChannel.Command => "cmd/+",
        TopicChannel.CommandReply => "cmd/reply",
        TopicChannel.Backlog => "backlog/+",
        _ => Channels.First(kv => kv.Value == channel).Key,
    };
}
