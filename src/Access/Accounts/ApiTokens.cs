using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Accounts;

/// <summary>Personal API tokens: made for a user with a name and a lifetime, refused once expired or revoked.</summary>
public static class ApiTokens
{
    /// <summary>Prefix of every personal token (so that secret scanners and the authentication handler recognise it).</summary>
    public const string Prefix = "flt";

    /// <summary>Longest lifetime a token may have.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>Makes a token for <paramref name="userId"/>; returns the stored record and the text, shown only now.</summary>
    public static async Task<(ApiToken Token, string Text)> CreateAsync(MetadataDb db, string userId, string name, TimeSpan lifetime, DateTime now, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime) throw new ArgumentOutOfRangeException(nameof(lifetime), $"A token lives between 1 s and {MaxLifetime.TotalDays:F0} days.");
        var (id, text, hash) = TokenText.New(Prefix);
        var token = new ApiToken { Id = id, UserId = userId, Name = name, SecretHash = hash, CreatedAt = now, ExpiresAt = now + lifetime };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (token, text);
    }

    /// <summary>The user a presented token belongs to, or the reason it is refused.</summary>
    public static async Task<(string? UserId, string? Refusal)> VerifyAsync(MetadataDb db, string? text, DateTime now, CancellationToken cancellationToken)
    {
        if (!TokenText.TryParse(text, Prefix, out var id, out var secret)) return (null, "not a Fieldlab token");
        var token = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken).ConfigureAwait(false);
        // The same answer for an unknown id and a wrong secret: nothing to learn from probing ids.
        if (token is null || !TokenText.Matches(secret, token.SecretHash)) return (null, "unknown token");
        if (token.RevokedAt is not null) return (null, "token revoked");
        if (token.ExpiresAt <= now) return (null, "token expired");
        return (token.UserId, null);
    }
}
