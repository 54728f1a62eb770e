using System.Security.Claims;
using System.Text.Encodings.Web;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Access.Authentication;

/// <summary>Authenticates <c>Authorization: Bearer flt_…</c> personal API tokens against the store (hash, expiry,
/// revocation) on every request. Any other Authorization header that reaches it is refused.</summary>
public sealed class PersonalTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, MetadataDb db, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("Only Bearer tokens are accepted.");
        var (userId, refusal) = await ApiTokens.VerifyAsync(db, header["Bearer ".Length..].Trim(), time.GetUtcNow().UtcDateTime, Context.RequestAborted);
        if (userId is null) return AuthenticateResult.Fail(refusal ?? "refused");
        var identity = new ClaimsIdentity([new Claim(FieldlabClaims.UserId, userId), new Claim(FieldlabClaims.Method, "token")], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
