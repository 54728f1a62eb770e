namespace Fieldlab.Telemetry.Wire;

/// <summary>A rig's retained liveness message on <c>fieldlab/{site}/{rig}/state</c>; the offline form is the gateway's last will.</summary>
public sealed record RigState
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public required string State { get; init; }

    /// <summary>When the state began (wire timestamp), if the sender knew.</summary>
    public string? Since { get; init; }

    /// <summary>Why the rig is offline (e.g. <c>connection lost</c>, <c>shutdown</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>True when <see cref="State"/> is <c>online</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOnline => State == "online";
}
