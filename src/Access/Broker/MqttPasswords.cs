using System.Security.Cryptography;
using System.Text;
using Fieldlab.Access.Accounts;

namespace Fieldlab.Access.Broker;

/// <summary>Broker passwords of every principal, derived from one secret key (HMAC-SHA256 over the user name and a
/// generation number): nothing but the key is stored, <c>./fieldlab credentials</c> can print a password again, and bumping
/// a principal's generation (or replacing the key) rotates it.</summary>
public sealed class MqttPasswords(byte[] key)
{
    /// <summary>From the key as its file holds it (base64url, as <see cref="Secrets.SecretFiles.ReadOrCreate"/> writes it).</summary>
    public static MqttPasswords FromKeyText(string text)
    {
        var s = text.Trim().Replace('-', '+').Replace('_', '/');
        return new MqttPasswords(Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4)));
    }

    /// <summary>The password of <paramref name="username"/> at <paramref name="generation"/>.</summary>
    public string For(string username, int generation)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"fieldlab-mqtt\n{username}\n{generation}"));
        return TokenText.Base64Url(mac)[..32];
    }
}
