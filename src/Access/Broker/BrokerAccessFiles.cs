using System.Security.Cryptography;
using System.Text;

namespace Fieldlab.Access.Broker;

/// <summary>Renders principals into Mosquitto's <c>password_file</c> and <c>acl_file</c>. Deterministic: the same
/// principals give byte-identical files, whose plan hash (first line of the ACL file) tells whether a reload is due.</summary>
public static class BrokerAccessFiles
{
    /// <summary>First characters of the ACL file's hash line.</summary>
    public const string PlanHashPrefix = "# fieldlab access plan sha256=";

    /// <summary>The hash of a set of principals (order-independent).</summary>
    public static string PlanHash(IEnumerable<BrokerPrincipal> principals)
    {
        var text = new StringBuilder();
        foreach (var p in principals.OrderBy(p => p.Username, StringComparer.Ordinal))
        {
            text.Append(p.Username).Append('\n').Append(p.Password).Append('\n');
            foreach (var rule in p.Rules.Distinct().OrderBy(r => r.ToString(), StringComparer.Ordinal)) text.Append(rule).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Renders both files; <paramref name="planHash"/> goes into the ACL file's first line.</summary>
    public static (string PasswordFile, string AclFile) Render(IEnumerable<BrokerPrincipal> principals, string planHash)
    {
        var passwd = new StringBuilder();
        var acl = new StringBuilder();
        acl.Append(PlanHashPrefix).Append(planHash).Append('\n');
        acl.Append("# Rendered by Fieldlab from the metadata store (src/Access/Broker); every change here is overwritten.\n");
        acl.Append("# No lines before the first 'user': anonymous clients get nothing (and allow_anonymous is false).\n");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in principals.OrderBy(p => p.Username, StringComparer.Ordinal))
        {
            if (!seen.Add(p.Username)) throw new ArgumentException($"Broker user '{p.Username}' appears twice in the plan.", nameof(principals));
            if (p.Username.Length == 0 || p.Username.Any(c => c is ':' or ' ' or '\n' or '\r' or '#'))
                throw new ArgumentException($"'{p.Username}' cannot be a broker user name.", nameof(principals));
            passwd.Append(p.Username).Append(':').Append(MosquittoPasswordHash.Hash(p.Username, p.Password)).Append('\n');
            acl.Append('\n').Append("user ").Append(p.Username).Append('\n');
            foreach (var rule in p.Rules.Distinct().OrderBy(r => r.ToString(), StringComparer.Ordinal)) acl.Append(rule).Append('\n');
        }
        return (passwd.ToString(), acl.ToString());
    }

    /// <summary>The plan hash recorded in an existing ACL file, or null.</summary>
    public static string? RecordedPlanHash(string aclFile)
    {
        if (!File.Exists(aclFile)) return null;
        using var reader = new StreamReader(aclFile);
        var first = reader.ReadLine();
        return first is not null && first.StartsWith(PlanHashPrefix, StringComparison.Ordinal) ? first[PlanHashPrefix.Length..] : null;
    }
}
