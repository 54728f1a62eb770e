using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Access.Broker;

/// <summary>The broker rights of each kind of principal — the one place that says which topics a gateway, an ingest
/// replica, the API and a person may read or write (docs/access.md, "The broker").</summary>
public static class TopicRights
{
    /// <summary>Channels a rig's data arrives on (live and backlog lanes), alerts included.</summary>
    public static readonly string[] DataChannels = ["samples", "waveform", "backlog/samples", "backlog/waveform", "alerts", "health"];

    /// <summary>Channels that carry the ground truth of staged faults (the gateway's replies name the active faults).</summary>
    public static readonly string[] TruthChannels = ["truth", "backlog/truth", "cmd/reply"];

    /// <summary>Channels that say a rig exists and whether it is online.</summary>
    public static readonly string[] StatusChannels = ["birth", "state"];

    /// <summary>A rig's gateway: publishes only under its own rig (never its own <c>ack</c> or <c>cmd/…</c> except the
    /// replies), reads only its own <c>ack</c> and commands.</summary>
    public static IReadOnlyList<TopicRule> Gateway(RigAddress rig)
    {
        var root = $"fieldlab/{rig.Site}/{rig.Rig}/";
        return
        [
            .. new[] { "birth", "state", "samples", "waveform", "truth", "health", "head", "backlog/+", "cmd/reply" }.Select(c => new TopicRule(TopicAccess.Write, root + c)),
            new TopicRule(TopicAccess.Read, root + "ack"),
            new TopicRule(TopicAccess.Read, root + "cmd/+"),
        ];
    }

    /// <summary>An ingest replica (all three of its connections): reads every rig's births and data lanes (through its
    /// shared subscriptions) and every gateway's head, writes acknowledgements, stored-through watermarks, dead letters and alerts.</summary>
    public static IReadOnlyList<TopicRule> Ingest() =>
    [
        .. new[] { "birth", "samples", "waveform", "truth", "health", "backlog/+" }.SelectMany(c => Both($"fieldlab/+/+/{c}")),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/head"),
        new TopicRule(TopicAccess.Write, "fieldlab/+/+/ack"),
        new TopicRule(TopicAccess.Write, "fieldlab/+/+/stored"),
        new TopicRule(TopicAccess.Write, "fieldlab/+/+/deadletter"),
        new TopicRule(TopicAccess.Write, FieldlabTopic.SystemDeadLetter),
        new TopicRule(TopicAccess.Write, "fieldlab/+/+/alerts"),
    ];

    /// <summary>The API: reads births, states, stored-through watermarks (for the dataset freezer), command replies and — for the console's live streams, which it filters by
    /// each viewer's rights — the live samples, waveforms and alerts; publishes fault commands (its handlers decide who may).</summary>
    public static IReadOnlyList<TopicRule> Api() =>
    [
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/birth"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/state"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/stored"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/samples"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/waveform"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/alerts"),
        new TopicRule(TopicAccess.Read, "fieldlab/+/+/cmd/reply"),
        new TopicRule(TopicAccess.Write, "fieldlab/+/+/cmd/fault"),
    ];

    /// <summary>What the API may write besides <see cref="Api"/> for a sandbox site it closes: the retained channels of
    /// the sandbox's rigs (birth, state, the gateway's head and ingest's stored-through mark), which it clears with empty retained messages once the sandbox's gateways
    /// have lost their rights — the gateways themselves can no longer, and a real site's retained messages stay out of reach.</summary>
    public static IReadOnlyList<TopicRule> SandboxCloser(string sandboxSite) =>
    [
        new TopicRule(TopicAccess.Write, $"fieldlab/{sandboxSite}/+/birth"),
        new TopicRule(TopicAccess.Write, $"fieldlab/{sandboxSite}/+/state"),
        new TopicRule(TopicAccess.Write, $"fieldlab/{sandboxSite}/+/head"),
        new TopicRule(TopicAccess.Write, $"fieldlab/{sandboxSite}/+/stored"),
    ];

    /// <summary>The operator: reads every rig's channels and the system dead letters, the broker's own <c>$SYS</c>
    /// statistics included — but not the commands themselves (only the API and the rig's gateway reach <c>cmd/…</c>;
    /// the gateways' replies say what was done); writes nothing (commands go through the API, checked and logged).</summary>
    public static IReadOnlyList<TopicRule> Administrator() =>
    [
        .. new[] { "birth", "state", "samples", "waveform", "truth", "health", "head", "backlog/+", "ack", "stored", "deadletter", "alerts", "cmd/reply" }
            .Select(c => new TopicRule(TopicAccess.Read, $"fieldlab/+/+/{c}")),
        new TopicRule(TopicAccess.Read, "fieldlab/_system/#"),
        new TopicRule(TopicAccess.Read, "$SYS/#"),
    ];

    /// <summary>A person's read rights on one rig's channels.</summary>
    public static IEnumerable<TopicRule> Reader(RigAddress rig, IEnumerable<string> channels) =>
        channels.Select(c => new TopicRule(TopicAccess.Read, $"fieldlab/{rig.Site}/{rig.Rig}/{c}"));

    // Mosquitto 2.0 checks a shared subscription's filter with its "$share/{group}/" prefix; deliveries by the topic.
    private static IEnumerable<TopicRule> Both(string filter) =>
        [new TopicRule(TopicAccess.Read, filter), new TopicRule(TopicAccess.Read, "$share/+/" + filter)];
}
