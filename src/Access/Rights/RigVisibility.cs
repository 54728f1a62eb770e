namespace Fieldlab.Access.Rights;

/// <summary>What one caller may see of and do with one rig, now: the result of the <see cref="RigPolicy"/>.</summary>
/// <param name="Status">May see that the rig exists (otherwise it answers 404, like an unknown rig).</param>
/// <param name="Data">The part of the rig's history whose data the caller may read.</param>
/// <param name="Truth">The part whose fault ground truth the caller may read.</param>
/// <param name="Command">May stage, step and clear faults now.</param>
/// <param name="Rebaseline">May re-baseline the rig's models now.</param>
/// <param name="ReleaseTruth">May publish the rig's truth to students.</param>
public sealed record RigVisibility(bool Status, WindowSet Data, WindowSet Truth, bool Command, bool Rebaseline, bool ReleaseTruth)
{
    /// <summary>Nothing at all.</summary>
    public static readonly RigVisibility None = new(false, WindowSet.Empty, WindowSet.Empty, false, false, false);

    /// <summary>Whether <paramref name="right"/> is granted at all (for windowed rights: any window at all).</summary>
    public bool Allows(Right right) => right == RigRights.Status ? Status
        : right == RigRights.Data ? Status && !Data.IsEmpty
        : right == RigRights.Truth ? Status && !Truth.IsEmpty
        : right == RigRights.Command ? Status && Command
        : right == RigRights.Rebaseline ? Status && Rebaseline
        : right == RigRights.ReleaseTruth ? Status && ReleaseTruth
        : throw new ArgumentException($"{right} is not a rig right.", nameof(right));
}
