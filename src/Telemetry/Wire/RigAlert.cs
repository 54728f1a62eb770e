namespace Fieldlab.Telemetry.Wire;

/// <summary>A condition-monitoring alert on <c>fieldlab/{site}/{rig}/alerts</c>: raised when a model's verdict has held
/// long enough, cleared when it has been normal long enough (see docs/telemetry.md).</summary>
public sealed record RigAlert
{
    /// <summary>Schema version (1).</summary>
    public int V { get; init; } = 1;

    /// <summary>Stable id of the alert within the rig, e.g. <c>bearing</c> or <c>process-anomaly</c>; a clear carries the
    /// id it clears.</summary>
    public required string Id { get; init; }

    /// <summary><c>raised</c> or <c>cleared</c>.</summary>
    public required string State { get; init; }

    /// <summary>What kind of model raised it: <c>bearing</c> (vibration diagnostics), <c>anomaly</c> (multivariate),
    /// <c>energy</c> (EnPI above its baseline) or <c>rul</c> (remaining useful life below its horizon).</summary>
    public required string Kind { get; init; }

    /// <summary>UTC time of the data that decided it (RFC 3339, nanoseconds).</summary>
    public required string T { get; init; }

    /// <summary>One sentence for people: what is wrong and where to look.</summary>
    public required string Summary { get; init; }

    /// <summary>The bearing defect named by a bearing alert: <c>outer_race</c>, <c>inner_race</c>, <c>ball</c> or <c>cage</c>.</summary>
    public string? Defect { get; init; }

    /// <summary>The sensors (or vibration axes) that drove the verdict, most important first.</summary>
    public IReadOnlyList<string>? Sensors { get; init; }

    /// <summary>The model's score when it decided.</summary>
    public double Score { get; init; }

    /// <summary>The limit the score was held against.</summary>
    public double Limit { get; init; }
}
