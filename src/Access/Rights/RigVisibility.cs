namespace Fieldlab.Access.Rights;

/// <summary>What one caller may see of and do with one rig, now: the result of the <see cref="RigPolicy"/>.</summary>
/// <param name="Status">May see that the rig exists (otherwise it answers 404, like an unknown rig).</param>
/// <param name="Data">The part of the rig's history whose data the caller may read.</param>
/// <param name="Truth">The part whose fault ground truth the caller may read.</param>
/// <param name="Command">May stage, step and clear faults now.</param>
/// <param name="Rebaseline">May re-baseline the rig's models now.</param>
/// <param name="ReleaseTruth">May publish the rig's truth to students.</param>
/// <param name="Alert">The part of the history whose alerts the caller may acknowledge, assign, comment on and close.</param>
/// <param name="Maintain">The part of the history in which the caller may record maintenance actions.</param>
public sealed record RigVisibility(bool Status, WindowSet Data, WindowSet Truth, bool Command, bool Rebaseline, bool ReleaseTruth, WindowSet Alert, WindowSet Maintain)
{
    /// <summary>Nothing at all.</summary>
    public static readonly RigVisibility None = new(false, WindowSet.Empty, WindowSet.Empty, false, false, false, WindowSet.Empty, WindowSet.Empty);

    /// <summary>Whether <paramref name="right"/> is granted at all (for windowed rights: any window at all).</summary>
    public bool Allows(Right right) => right == RigRights.Status ? Status
        : right == RigRights.Data ? Status && !Data.IsEmpty
        : right == RigRights.Truth ? Status && !Truth.IsEmpty
        : right == RigRights.Command ? Status && Command
        : right == RigRights.Rebaseline ? Status && Rebaseline
        : right == RigRights.ReleaseTruth ? Status && ReleaseTruth
        : right == RigRights.Alert ? Status && !Alert.IsEmpty
        : right == RigRights.Maintain ? Status && !Maintain.IsEmpty
        : throw new ArgumentException($"{right} is not a rig right.", nameof(right));

    /// <summary>Whether <paramref name="right"/> is granted for something that happened at <paramref name="at"/>: a
    /// windowed right when its windows contain that time (an alert's raise, a maintenance action), any other right as
    /// <see cref="Allows(Right)"/> says.</summary>
    public bool Allows(Right right, DateTime at) => right == RigRights.Data ? Status && Data.Contains(at)
        : right == RigRights.Truth ? Status && Truth.Contains(at)
        : right == RigRights.Alert ? Status && Alert.Contains(at)
        : right == RigRights.Maintain ? Status && Maintain.Contains(at)
        : Allows(right);
}
