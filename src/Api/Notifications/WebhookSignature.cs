using System.Security.Cryptography;
using System.Text;

namespace Fieldlab.Api.Notifications;

/// <summary>The signature of a webhook's body: <c>X-Fieldlab-Signature: sha256={hex}</c>, HMAC-SHA256 of the exact
/// body bytes keyed by the person's webhook secret (its UTF-8 text), so that a receiver can tell Fieldlab's messages
/// from anybody else's.</summary>
public static class WebhookSignature
{
    /// <summary>The header that carries it.</summary>
    public const string Header = "X-Fieldlab-Signature";

    /// <summary>A new secret: <c>whsec_</c> and 256 random bits.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The header's value for <paramref name="body"/>.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True if <paramref name="header"/> is the signature of <paramref name="body"/> (compared in constant time).</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) => header is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));
}
