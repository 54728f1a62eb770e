using Fieldlab.Access.Rights;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The status a cell must answer, worked out from the documented rights table and the tenancy's facts — by
/// the tests' own reading of each scope, not by the API's code: 401 without (valid) credentials unless the right is
/// <c>any</c>; on a rig route 404 when the caller may not see the rig (exactly like an unknown rig), 403 when it may
/// see it but not do this; elsewhere 403 for a scope of <c>-</c> or another site, 404 for another's pilot.</summary>
public static class MatrixExpectation
{
    /// <summary>Pilots of each rig: (organisation, running now, shared with instructors).</summary>
    private static readonly Dictionary<string, (string Organisation, bool Running, bool Shared)[]> Pilots = new()
    {
        ["techport/pump-1"] = [("pilot-a", true, false)],
        ["techport/electrolyser-1"] = [("pilot-b", false, true)],
        ["techport/spare-1"] = [("pilot-a", true, false)],
    };

    private static readonly Dictionary<string, string> PilotOrganisations = new() { ["A"] = "pilot-a", ["B"] = "pilot-b", ["S"] = "pilot-a" };

    /// <summary>Rigs whose truth is released to students.</summary>
    private static readonly HashSet<string> Released = ["techport/fuelcell-1"];

    /// <summary>The expected status of <paramref name="endpoint"/> called by <paramref name="caller"/> on <paramref name="target"/>.</summary>
    public static int StatusOf(RightsTable table, DocumentedEndpoint endpoint, MatrixCaller caller, MatrixTarget target, int success)
    {
        var right = endpoint.Right;
        if (table.ScopeOf(right, null) == Scope.Any) return success;
        if (caller.Person is null) return 401;
        var scope = table.ScopeOf(right, caller.Role);
        switch (target)
        {
            case RigTarget rig when endpoint.Route.Contains("{rig}", StringComparison.Ordinal):
                if (!Exists(rig)) return 404;
                if (!Allowed(table.ScopeOf(new Right("rig", "status"), caller.Role), caller, rig)) return 404;
                // The matrix records maintenance performed now: a company member's pilot windows hold now only while running.
                if (right == new Right("rig", "maintain") && scope == Scope.Pilots)
                    return (Pilots.GetValueOrDefault($"{rig.Site}/{rig.Name}") ?? []).Any(p => p.Organisation == caller.Organisation && p.Running) ? success : 403;
                return Allowed(scope, caller, rig) ? success : 403;
            case SiteTarget site when right.Resource == "rig":
                // Listing and registering rigs of a site.
                if (scope == Scope.None) return 403;
                return site.Name is "techport" or "other" ? success : 404;
            case SiteTarget site:
                if (scope == Scope.None) return 403;
                if (scope == Scope.Site && site.Name != caller.Site) return 403;
                return success;
            case PilotTarget pilot:
                if (scope == Scope.None) return 403;
                if (!PilotOrganisations.TryGetValue(pilot.Key, out var organisation)) return 404;
                if (scope == Scope.Self && organisation != caller.Organisation) return 404;
                return success;
            default:
                return scope == Scope.None ? 403 : success;
        }
    }

    private static bool Exists(RigTarget rig) => MatrixTenancy.Rigs.Contains((rig.Site, rig.Name));

    private static bool Allowed(Scope scope, MatrixCaller caller, RigTarget rig)
    {
        var key = $"{rig.Site}/{rig.Name}";
        var pilots = Pilots.GetValueOrDefault(key) ?? [];
        bool atSite = caller.Site == rig.Site;
        return scope switch
        {
            Scope.All or Scope.Any => true,
            Scope.Site => atSite,
            // Every rig here has time outside its pilot windows (before T0).
            Scope.Teaching or Scope.TeachingShared => atSite,
            Scope.SiteIdle => atSite && !pilots.Any(p => p.Running),
            Scope.Released => atSite && Released.Contains(key),
            Scope.Pilots => pilots.Any(p => p.Organisation == caller.Organisation),
            _ => false,
        };
    }
}
