namespace Fieldlab.Access.Rights;

/// <summary>Turns the rights table's scopes for the <c>rig</c> resource into a <see cref="RigVisibility"/> for one
/// caller, one rig and one moment. The only place where pilot windows become data windows.</summary>
public sealed class RigPolicy(RightsTable table)
{
    /// <summary>The caller's rights on the rig at <paramref name="now"/> (null caller: anonymous).</summary>
    public RigVisibility Evaluate(Caller? caller, RigFacts rig, DateTime now)
    {
        var role = caller?.Role;
        bool status = Allowed(table.ScopeOf(RigRights.Status, role), caller, rig, now);
        if (!status) return RigVisibility.None;
        return new RigVisibility(
            Status: true,
            Data: Windows(table.ScopeOf(RigRights.Data, role), caller, rig),
            Truth: Windows(table.ScopeOf(RigRights.Truth, role), caller, rig),
            Command: Allowed(table.ScopeOf(RigRights.Command, role), caller, rig, now),
            Rebaseline: Allowed(table.ScopeOf(RigRights.Rebaseline, role), caller, rig, now),
            ReleaseTruth: Allowed(table.ScopeOf(RigRights.ReleaseTruth, role), caller, rig, now),
            Alert: Windows(table.ScopeOf(RigRights.Alert, role), caller, rig),
            Maintain: Windows(table.ScopeOf(RigRights.Maintain, role), caller, rig));
    }

    /// <summary>The windows of every pilot of the rig: outside them its data is teaching data.</summary>
    public static WindowSet PilotTime(RigFacts rig) => WindowSet.Of(rig.Pilots.Select(p => p.Window));

    /// <summary>Whether the caller is one of the rig's site's people: of the site itself, or — for a sandbox — an
    /// instructor of its host site or a student of its class (a sandbox of another class does not exist for a student).</summary>
    private static bool AtSite(Caller? caller, RigFacts rig) => caller?.SiteId is { } site && (site == rig.SiteId
        || rig.Sandbox is { } sandbox && site == sandbox.HostSiteId
            && (caller.Role != Role.Student || sandbox.ClassId is { } c && caller.ClassIds.Contains(c)));

    /// <summary>The ranges whose truth no student sees: those frozen into a dataset with hidden labels.</summary>
    private static WindowSet HiddenTruth(RigFacts rig) => rig.HiddenTruth is { Count: > 0 } hidden ? WindowSet.Of(hidden) : WindowSet.Empty;

    private static IEnumerable<PilotFacts> Own(Caller? caller, RigFacts rig) =>
        caller?.OrganisationId is { } org ? rig.Pilots.Where(p => p.OrganisationId == org) : [];

    private static bool Allowed(Scope scope, Caller? caller, RigFacts rig, DateTime now) => scope switch
    {
        Scope.All or Scope.Any => true,
        Scope.Site => AtSite(caller, rig),
        Scope.SiteIdle => AtSite(caller, rig) && !PilotTime(rig).Contains(now),
        Scope.Pilots => Own(caller, rig).Any(),
        _ => false,
    };

    private static WindowSet Windows(Scope scope, Caller? caller, RigFacts rig) => scope switch
    {
        Scope.All or Scope.Any => WindowSet.Everything,
        Scope.Site => AtSite(caller, rig) ? WindowSet.Everything : WindowSet.Empty,
        Scope.Teaching => AtSite(caller, rig) ? PilotTime(rig).Complement() : WindowSet.Empty,
        Scope.TeachingShared => AtSite(caller, rig)
            ? PilotTime(rig).Complement().Union(WindowSet.Of(rig.Pilots.Where(p => p.SharedWithInstructors).Select(p => p.Window)))
            : WindowSet.Empty,
        Scope.Released => AtSite(caller, rig) && rig.TruthReleasedUntil is { } until
            ? PilotTime(rig).Complement().Intersect(WindowSet.Of([new TimeWindow(null, until == DateTime.MaxValue ? null : until)])).Intersect(HiddenTruth(rig).Complement())
            : WindowSet.Empty,
        Scope.Pilots => WindowSet.Of(Own(caller, rig).Select(p => p.Window)),
        _ => WindowSet.Empty,
    };
}
