using System.Net.Mail;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Notifications;

/// <summary>How alerts are delivered to people (section <c>Notifications</c>): rate limit, delivery attempts, the
/// webhook client's limits and the SMTP server for e-mail.</summary>
public sealed class NotificationOptions : IValidatableOptions
{
    /// <summary>Off: the dispatcher does not run (settings can still be made).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>At most this many messages per person and channel within <see cref="RateWindow"/>; the rest are counted
    /// and summarised in the next message that goes out.</summary>
    public int RateLimit { get; set; } = 5;

    /// <summary>The rate limit's sliding window.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tries per message (the first included) before it counts as undelivered.</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Wait before the second try; doubled before each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time one try may take (webhook request, SMTP conversation).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Let webhooks reach loopback, private and link-local addresses. Off by default: otherwise anybody with an
    /// account could make the API post to services on its own network.</summary>
    public bool AllowPrivateWebhooks { get; set; }

    /// <summary>Base URL of the console, for links in messages (e.g. <c>https://fieldlab.school.example</c>), or null.</summary>
    public string? ConsoleUrl { get; set; }

    /// <summary>The SMTP server; without a host no e-mail is offered.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (RateLimit is < 1 or > 1000) yield return "RateLimit: 1 … 1000 messages.";
        if (RateWindow < TimeSpan.FromSeconds(1)) yield return "RateWindow: at least one second.";
        if (Attempts is < 1 or > 10) yield return "Attempts: 1 … 10.";
        if (RetryDelay < TimeSpan.Zero) yield return "RetryDelay: must not be negative.";
        if (Timeout <= TimeSpan.Zero) yield return "Timeout: must be positive.";
        if (ConsoleUrl is not null && (!Uri.TryCreate(ConsoleUrl, UriKind.Absolute, out var console) || console.Scheme is not ("http" or "https")))
            yield return $"ConsoleUrl: an absolute http(s) URL (was '{ConsoleUrl}').";
        foreach (var problem in Smtp.Validate()) yield return "Smtp:" + problem;
    }
}

/// <summary>The SMTP server e-mail notifications go through (section <c>Notifications:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; null or empty: no e-mail.</summary>
    public string? Host { get; set; }

    /// <summary>Port (587 for submission with STARTTLS, 25 for a relay).</summary>
    public int Port { get; set; } = 587;

    /// <summary>Sender address, e.g. <c>fieldlab@school.example</c>.</summary>
    public string? From { get; set; }

    /// <summary>STARTTLS before anything else is said (implicit TLS on port 465 is not offered by .NET's SMTP client).</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>User name to authenticate with, or null for none.</summary>
    public string? User { get; set; }

    /// <summary>File holding the password (mode 0600), or null.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>True when a server is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Problems, each starting with the key it concerns.</summary>
    public IEnumerable<string> Validate()
    {
        if (!IsConfigured)
        {
            if (From is not null || User is not null || PasswordFile is not null) yield return "Host: must be set when From, User or PasswordFile is.";
            yield break;
        }
        if (Port is < 1 or > 65535) yield return $"Port: 1 … 65535 (was {Port}).";
        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _)) yield return $"From: an e-mail address (was '{From}').";
        if (PasswordFile is not null && !File.Exists(PasswordFile)) yield return $"PasswordFile: '{PasswordFile}' does not exist.";
        if (PasswordFile is not null && string.IsNullOrWhiteSpace(User)) yield return "User: must be set with PasswordFile.";
    }
}
