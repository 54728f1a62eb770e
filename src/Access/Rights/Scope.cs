namespace Fieldlab.Access.Rights;

/// <summary>How far a right reaches, as written in the rights table of docs/access.md.</summary>
public enum Scope
{
    /// <summary><c>-</c>: never.</summary>
    None,

    /// <summary><c>any</c>: always, also without signing in.</summary>
    Any,

    /// <summary><c>self</c>: the caller's own objects (account, tokens, organisation, pilots, classes).</summary>
    Self,

    /// <summary><c>site</c>: rigs and objects of the caller's site.</summary>
    Site,

    /// <summary><c>site-idle</c>: rigs of the caller's site that are not in a running pilot window now.</summary>
    SiteIdle,

    /// <summary><c>teaching</c>: data of the caller's site's rigs outside every pilot window.</summary>
    Teaching,

    /// <summary><c>teaching+shared</c>: teaching data, plus the windows of pilots whose company shares them with instructors.</summary>
    TeachingShared,

    /// <summary><c>released</c>: teaching data from before the rig's truth release (an instructor publishes it).</summary>
    Released,

    /// <summary><c>pilots</c>: the rigs of the caller's organisation's pilots, inside those pilots' windows.</summary>
    Pilots,

    /// <summary><c>class</c>: the assignments of the caller's classes (only students are in classes: for anyone else it names nothing).</summary>
    Class,

    /// <summary><c>all</c>: everything.</summary>
    All,
}

/// <summary>The spellings of <see cref="Scope"/> in the table.</summary>
public static class ScopeNames
{
    private static readonly Dictionary<string, Scope> ByName = new(StringComparer.Ordinal)
    {
        ["-"] = Scope.None,
        ["any"] = Scope.Any,
        ["self"] = Scope.Self,
        ["site"] = Scope.Site,
        ["site-idle"] = Scope.SiteIdle,
        ["teaching"] = Scope.Teaching,
        ["teaching+shared"] = Scope.TeachingShared,
        ["released"] = Scope.Released,
        ["pilots"] = Scope.Pilots,
        ["class"] = Scope.Class,
        ["all"] = Scope.All,
    };

    /// <summary>The scope a cell names, or null.</summary>
    public static Scope? Parse(string cell) => ByName.TryGetValue(cell.Trim().Trim('`'), out var s) ? s : null;

    /// <summary>How the table writes a scope.</summary>
    public static string Name(Scope scope) => ByName.First(kv => kv.Value == scope).Key;

    /// <summary>Every spelling.</summary>
    public static IEnumerable<string> All => ByName.Keys;
}
