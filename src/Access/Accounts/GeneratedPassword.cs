using System.Security.Cryptography;

namespace Fieldlab.Access.Accounts;

/// <summary>Passwords Fieldlab makes up (demo accounts, resets): 20 characters from an alphabet without look-alikes,
/// about 100 bits.</summary>
public static class GeneratedPassword
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A new password.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, 20);
}
