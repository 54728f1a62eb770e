using System.Security.Cryptography;
using System.Text;
using Fieldlab.Access.Store;

namespace Fieldlab.Api.Assignments;

/// <summary>How a leaderboard names students: instructors see account and display names; a student sees its own
/// name and every other student as a pseudonym (<c>participant-</c> + 8 hex digits of a hash of the assignment's secret
/// split seed and the account id) — the same on every request, but not to be traced back to a person by classmates.</summary>
public static class Participants
{
    /// <summary>The name of <paramref name="userId"/> as <paramref name="viewerId"/> sees it.</summary>
    public static string NameOf(Assignment assignment, string userId, IReadOnlyDictionary<string, FieldlabUser> users, string viewerId, bool seesAll)
    {
        if (seesAll || userId == viewerId) return users.TryGetValue(userId, out var user) ? user.UserName ?? "" : Pseudonym(assignment, userId);
        return Pseudonym(assignment, userId);
    }

    /// <summary>The pseudonym of a student in an assignment.</summary>
    public static string Pseudonym(Assignment assignment, string userId) =>
        "participant-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{assignment.Id}:{assignment.SplitSeed}:{userId}")))[..8];
}
