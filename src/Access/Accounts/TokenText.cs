using System.Security.Cryptography;

namespace Fieldlab.Access.Accounts;

/// <summary>The text form of secrets handed to people: <c>{prefix}_{id}_{secret}</c> with a 12-character public id and a
/// 256-bit secret (base64url). Only SHA-256 of the secret is stored: the secret is random, so a fast hash suffices.</summary>
public static class TokenText
{
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A new token: its id, its full text, and the hash to store.</summary>
    public static (string Id, string Text, byte[] SecretHash) New(string prefix)
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, 12);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{prefix}_{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a token into id and secret; false if it is not of the form.</summary>
    public static bool TryParse(string? text, string prefix, out string id, out string secret)
    {
        id = secret = "";
        if (text is null || text.Length > 200 || !text.StartsWith(prefix + "_", StringComparison.Ordinal)) return false;
        var parts = text[(prefix.Length + 1)..].Split('_', 2);
        if (parts.Length != 2 || parts[0].Length != 12 || parts[1].Length == 0) return false;
        id = parts[0];
        secret = parts[1];
        return true;
    }

    /// <summary>SHA-256 of a secret part.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    /// <summary>URL- and shell-safe base64 without padding.</summary>
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
