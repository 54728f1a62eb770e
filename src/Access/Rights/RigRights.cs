namespace Fieldlab.Access.Rights;

/// <summary>The actions of the <c>rig</c> resource in the rights table.</summary>
public static class RigRights
{
    /// <summary>See that the rig exists, its kind, sensors and online state.</summary>
    public static readonly Right Status = new("rig", "status");

    /// <summary>Read its samples, waveforms, model outputs, alerts and exports.</summary>
    public static readonly Right Data = new("rig", "data");

    /// <summary>Read the ground truth of faults staged on it.</summary>
    public static readonly Right Truth = new("rig", "truth");

    /// <summary>Stage, step and clear faults.</summary>
    public static readonly Right Command = new("rig", "command");

    /// <summary>Make its models learn a new baseline.</summary>
    public static readonly Right Rebaseline = new("rig", "rebaseline");

    /// <summary>Publish (or hide again) its fault truth to students.</summary>
    public static readonly Right ReleaseTruth = new("rig", "release-truth");

    /// <summary>Acknowledge, assign, comment on and close its alerts (those raised inside the caller's windows).</summary>
    public static readonly Right Alert = new("rig", "alert");

    /// <summary>Record maintenance actions on it (performed inside the caller's windows).</summary>
    public static readonly Right Maintain = new("rig", "maintain");

    /// <summary>Every rig right that the <see cref="RigPolicy"/> evaluates.</summary>
    public static readonly IReadOnlyList<Right> All = [Status, Data, Truth, Command, Rebaseline, ReleaseTruth, Alert, Maintain];
}
