using Fieldlab.Access.Rights;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Access.Authentication;

/// <summary>A school's own identity provider (section <c>Oidc</c>): the API accepts its JWT access tokens
/// (OpenID Connect discovery and JWKS from <see cref="Authority"/>) and maps their claims to Fieldlab roles. Off while
/// <see cref="Authority"/> is empty.</summary>
public sealed class OidcOptions : IValidatableOptions
{
    /// <summary>Issuer URL; its <c>/.well-known/openid-configuration</c> names the keys. Empty: OpenID Connect is off.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "fieldlab";

    /// <summary>Refuse an issuer over plain HTTP (only tests on loopback turn this off).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Claim with the account name (lower-cased; characters outside <c>a-z 0-9 _ -</c> become <c>-</c>).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>Claim (single value or array) with the provider's roles or groups.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider role → Fieldlab role (<c>Student</c>, <c>Instructor</c>); the first match wins. A token without
    /// a mapped role is refused. Company members and administrators are local accounts.</summary>
    public Dictionary<string, Role> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The site the provider's students and instructors belong to.</summary>
    public string Site { get; set; } = "";

    /// <summary>Shortest time between two fetches of the provider's keys when a token names an unknown key (rotation):
    /// the request that meets the unknown key is refused, the keys are fetched, the next one is accepted.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the provider's keys are fetched anyway, so that a withdrawn key stops working and a key the
    /// provider published ahead of use is known before its first token.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tolerated clock difference with the provider.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>True when configured.</summary>
    public bool Enabled => Authority.Length > 0;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri)) yield return $"Authority: not an absolute URL ('{Authority}').";
        else if (RequireHttpsMetadata && uri.Scheme != "https") yield return "Authority: must be https (or set RequireHttpsMetadata false for a test issuer).";
        if (string.IsNullOrWhiteSpace(Audience)) yield return "Audience: required.";
        if (RoleMap.Count == 0) yield return "RoleMap: map at least one provider role to Student or Instructor.";
        foreach (var (name, role) in RoleMap)
        {
            if (role is not (Role.Student or Role.Instructor)) yield return $"RoleMap:{name}: only Student or Instructor come from a provider.";
        }
        if (string.IsNullOrWhiteSpace(Site)) yield return "Site: the site of the provider's users is required.";
        if (RefreshInterval < TimeSpan.FromSeconds(1)) yield return "RefreshInterval: at least 1 s.";
        if (KeyRefreshInterval < TimeSpan.FromMinutes(5)) yield return "KeyRefreshInterval: at least 5 minutes (Microsoft.IdentityModel's minimum).";
    }
}
