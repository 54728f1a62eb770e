using System.Security.Cryptography;
using System.Text;

namespace Fieldlab.Access.Broker;

/// <summary>The password hash of a Mosquitto 2.0 <c>password_file</c> line: <c>$7$101$salt$hash</c>, PBKDF2-HMAC-SHA512
/// with 101 iterations, a 12-byte salt and a 64-byte key, both base64 — what <c>mosquitto_passwd</c> writes
/// (mosquitto 2.0 src/password_mosq.c, PW_SHA512_PBKDF2, PW_DEFAULT_ITERATIONS).</summary>
public static class MosquittoPasswordHash
{
    /// <summary>Mosquitto 2.0's default iteration count.</summary>
    public const int Iterations = 101;

    /// <summary>The hash field for <paramref name="password"/>. The salt is derived from user name and password, so that
    /// rendering the same plan twice gives the same file (and no needless broker reload).</summary>
    public static string Hash(string username, string password)
    {
        var salt = SHA256.HashData(Encoding.UTF8.GetBytes("fieldlab-mosquitto-salt\n" + username + "\n" + password))[..12];
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, 64);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";
    }

    /// <summary>True if <paramref name="hash"/> (a <c>$7$</c> field) is the hash of <paramref name="password"/>.</summary>
    public static bool Verify(string hash, string password)
    {
        var parts = hash.Split('$');
        if (parts.Length != 5 || parts[1] != "7" || !int.TryParse(parts[2], out int iterations)) return false;
        var salt = Convert.FromBase64String(parts[3]);
        var expected = Convert.FromBase64String(parts[4]);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(key, expected);
    }
}
