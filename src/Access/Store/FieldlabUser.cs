using Microsoft.AspNetCore.Identity;

namespace Fieldlab.Access.Store;

/// <summary>A person with an account: ASP.NET Core Identity's user (password hash, lockout, security stamp) plus the
/// Fieldlab role and where it applies.</summary>
public sealed class FieldlabUser : IdentityUser
{
    /// <summary>What the person is at the fieldlab.</summary>
    public Rights.Role Role { get; set; }

    /// <summary>Site of a student or instructor.</summary>
    public string? SiteId { get; set; }

    /// <summary>Organisation of a company member.</summary>
    public string? OrganisationId { get; set; }

    /// <summary>Name people read.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary><c>issuer|subject</c> of an account made from an OpenID Connect sign-in, or null for a local account.</summary>
    public string? ExternalSubject { get; set; }

    /// <summary>Bumped to rotate the person's broker password.</summary>
    public int MqttGeneration { get; set; }

    /// <summary>When the account was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
