namespace Fieldlab.Access.Accounts;

/// <summary>Rules for the names of accounts, sites, rigs, organisations and classes. Account names are also broker user
/// names, so they may not look like a service (<c>svc.…</c>) or gateway (<c>gw.…</c>) principal: those contain a dot,
/// which account names cannot.</summary>
public static class AccountNames
{
    /// <summary>Why <paramref name="name"/> cannot be an account name, or null: 2–32 of <c>a-z 0-9 _ -</c>, starting with a letter.</summary>
    public static string? ExplainInvalidUser(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a user name is required";
        if (name.Length is < 2 or > 32) return "a user name has 2 to 32 characters";
        if (name[0] is < 'a' or > 'z') return "a user name starts with a lower-case letter";
        if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')) return "a user name has only a-z, 0-9, _ and -";
        return null;
    }

    /// <summary>Why <paramref name="id"/> cannot be a site, rig, organisation or class id, or null (the topic-segment rule).</summary>
    public static string? ExplainInvalidId(string? id) => Fieldlab.Telemetry.Wire.WireNames.ExplainInvalidSegment(id ?? "");
}
