namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>A Compose <c>.env</c> file: <c>NAME=value</c> lines, <c>#</c> comments, optional quotes.</summary>
internal sealed class EnvFile
{
    private EnvFile(IReadOnlyDictionary<string, string> values) => Values = values;

    /// <summary>Every variable, in file order of first appearance.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Parses <paramref name="text"/>; a line that is neither a comment nor <c>NAME=value</c> is an error.</summary>
    public static EnvFile Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (raw, number) in text.Split('\n').Select((line, index) => (line.Trim(), index + 1)))
        {
            if (raw.Length == 0 || raw.StartsWith('#')) continue;
            int equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new FormatException($".env line {number}: '{raw}' is not NAME=value.");
            string value = raw[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0]) value = value[1..^1];
            values[raw[..equals].Trim()] = value;
        }
        return new EnvFile(values);
    }

    /// <summary>True for a variable that holds a secret (by its name: a password, key, token or secret).</summary>
    public static bool IsSecret(string name) =>
        name.Contains("PASSWORD", StringComparison.Ordinal) || name.Contains("SECRET", StringComparison.Ordinal) ||
        name.Contains("TOKEN", StringComparison.Ordinal) || name.EndsWith("_KEY", StringComparison.Ordinal);

    /// <summary>These values with every secret filled in (what an operator's <c>.env</c> has), for interpolation in tests.</summary>
    public Dictionary<string, string> WithSecretsFilled() =>
        Values.ToDictionary(kv => kv.Key, kv => IsSecret(kv.Key) && kv.Value.Length == 0 ? "test-only-" + kv.Key.ToLowerInvariant() : kv.Value, StringComparer.Ordinal);
}
