namespace Fieldlab.Access.Store;

/// <summary>How one person wants to hear of alerts on the rigs it may see: a webhook, an e-mail address, or both.</summary>
public sealed class NotificationSettings
{
    /// <summary>The account (one row per account).</summary>
    public required string UserId { get; set; }

    /// <summary>Off: nothing is sent, the rest is kept.</summary>
    public bool Enabled { get; set; }

    /// <summary>http(s) URL that receives a signed JSON POST per alert, or null.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The key of the webhook's HMAC-SHA256 signature (shown to the person once, when set). Kept in clear:
    /// the API needs it to sign; the store is readable by the services' user only.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>E-mail address, or null.</summary>
    public string? Email { get; set; }

    /// <summary>Alert kinds to hear of, comma-separated (<c>bearing,anomaly</c>); empty: all.</summary>
    public string Kinds { get; set; } = "";

    /// <summary>Also hear when an alert clears.</summary>
    public bool IncludeCleared { get; set; }

    /// <summary>Last change (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
