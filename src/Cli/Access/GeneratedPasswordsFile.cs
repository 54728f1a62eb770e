using Fieldlab.Access.Secrets;

namespace Fieldlab.Cli.Access;

/// <summary>The file of passwords Fieldlab generated (mode 0600): <c>./fieldlab up</c> writes the demo accounts'
/// there, <c>./fieldlab credentials USER --reset-password</c> a new one. A person who changes their password makes
/// their line stale; <c>credentials</c> then prints <c>password=-</c>.</summary>
public static class GeneratedPasswordsFile
{
    /// <summary>User → password.</summary>
    public static Dictionary<string, string> Read(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && !line.StartsWith('#')) result[parts[0]] = parts[1];
        }
        return result;
    }

    /// <summary>Sets (or with null removes) the passwords of some users.</summary>
    public static void Update(string path, IReadOnlyDictionary<string, string?> changes)
    {
        var all = Read(path);
        foreach (var (user, password) in changes)
        {
            if (password is null) all.Remove(user);
            else all[user] = password;
        }
        SecretFiles.EnsurePrivateDirectory(Path.GetDirectoryName(path)!);
        SecretFiles.WriteAtomically(path, "# Passwords Fieldlab generated: user password. Change them after the first sign-in.\n"
            + string.Concat(all.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}\n")));
    }
}
