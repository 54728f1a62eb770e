using Fieldlab.Access.Rights;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Store;

/// <summary>Loads a <see cref="Caller"/> from the store.</summary>
public static class CallerQuery
{
    /// <summary>The caller with user id <paramref name="userId"/>, or null if the account no longer exists.</summary>
    public static async Task<Caller?> LoadAsync(MetadataDb db, string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken).ConfigureAwait(false);
        if (user is null) return null;
        var classes = await db.ClassMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.ClassId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return From(user, classes);
    }

    /// <summary>The caller of a loaded user.</summary>
    public static Caller From(FieldlabUser user, IReadOnlyList<int> classIds) =>
        new(user.Id, user.UserName ?? "", user.Role, user.SiteId, user.OrganisationId, classIds);
}
