using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Microsoft.AspNetCore.Identity;

namespace Fieldlab.Api.Session;

/// <summary>Checks a user name and password with Identity's hasher and lockout: after
/// <see cref="MetadataStore.MaxFailedSignIns"/> wrong passwords the account is locked for a while. Every failure and
/// every lockout is audited; the caller always gets the same answer, whether the user exists, the password is wrong or
/// the account is locked (and an unknown user costs the same hashing time), so that nothing can be learnt by probing.</summary>
public sealed class PasswordSignIn(UserManager<FieldlabUser> users, IPasswordHasher<FieldlabUser> hasher, MetadataDb db, TimeProvider time)
{
    /// <summary>What every refused sign-in is told.</summary>
    public const string Refusal = "The user name or password is wrong, or the account is locked for a while after too many attempts.";

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<FieldlabUser>().HashPassword(new FieldlabUser(), "not-a-password-" + Guid.NewGuid()));

    /// <summary>The account, or null when the sign-in is refused.</summary>
    public async Task<FieldlabUser?> VerifyAsync(string? userName, string? password, string via, CancellationToken cancellationToken)
    {
        var name = (userName ?? "").Trim().ToLowerInvariant();
        var user = name.Length is > 0 and <= 64 ? await users.FindByNameAsync(name) : null;
        if (user is null)
        {
            hasher.VerifyHashedPassword(new FieldlabUser(), DummyHash.Value, password ?? "");
            await AuditAsync(name.Length > 64 ? name[..64] : name, "", "signin.failed", "unknown user", via, cancellationToken);
            return null;
        }
        if (await users.IsLockedOutAsync(user))
        {
            hasher.VerifyHashedPassword(user, DummyHash.Value, password ?? "");
            await AuditAsync(name, user.Role.ToString(), "signin.locked", $"refused while locked until {user.LockoutEnd:O}", via, cancellationToken);
            return null;
        }
        if (user.PasswordHash is null || !await users.CheckPasswordAsync(user, password ?? ""))
        {
            await users.AccessFailedAsync(user);
            bool locked = await users.IsLockedOutAsync(user);
            await AuditAsync(name, user.Role.ToString(), locked ? "signin.lockout" : "signin.failed",
                locked ? $"wrong password; account locked until {user.LockoutEnd:O}" : $"wrong password ({await users.GetAccessFailedCountAsync(user)} in a row)", via, cancellationToken);
            return null;
        }
        await users.ResetAccessFailedCountAsync(user);
        return user;
    }

    private Task AuditAsync(string actor, string role, string action, string detail, string via, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            ActorRole = role,
            Action = action,
            Detail = $"{detail} (via {via})",
            Outcome = "refused",
        }, cancellationToken);
}
