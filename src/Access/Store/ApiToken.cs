namespace Fieldlab.Access.Store;

/// <summary>A personal API token for scripts and Jupyter: <c>flt_{Id}_{secret}</c>; only the secret's SHA-256 is stored.</summary>
public sealed class ApiToken
{
    /// <summary>Public part of the token (also how it is named in lists and the audit log).</summary>
    public required string Id { get; set; }

    /// <summary>Owner.</summary>
    public required string UserId { get; set; }

    /// <summary>What the owner called it.</summary>
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the secret part.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>After this it is refused (UTC).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>When it was revoked, or null.</summary>
    public DateTime? RevokedAt { get; set; }
}
