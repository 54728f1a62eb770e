namespace Fieldlab.Api.Access;

/// <summary>Claim types of a Fieldlab principal. Whatever the scheme (cookie, personal token, OpenID Connect), it ends
/// in the account's user id; role and memberships are loaded from the store on every request.</summary>
public static class FieldlabClaims
{
    /// <summary>The account's Identity user id.</summary>
    public const string UserId = "fieldlab:uid";

    /// <summary>Identity's security stamp at sign-in (a cookie is refused once it changes: password reset, erasure).</summary>
    public const string SecurityStamp = "fieldlab:stamp";

    /// <summary>How the caller authenticated: <c>cookie</c>, <c>token</c> or <c>oidc</c>.</summary>
    public const string Method = "fieldlab:method";
}
