using System.Text;
using System.Text.RegularExpressions;

namespace Fieldlab.Telemetry.Influx;

/// <summary>Validates and quotes InfluxQL identifiers (database, retention policy, measurement, field and tag names).</summary>
/// <remarks>Identifiers cannot be bound parameters in InfluxQL, so they are restricted to a safe alphabet and always
/// double-quoted; user values never become identifiers without passing here.</remarks>
public static partial class InfluxIdentifier
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Safe();

    /// <summary>Null if <paramref name="name"/> is a safe identifier, otherwise why not.</summary>
    public static string? ExplainInvalid(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "an identifier must not be empty.";
        if (!Safe().IsMatch(name)) return $"'{name}' is not a safe identifier (letters, digits, '_', '.', '-'; starts with a letter or '_'; at most 128).";
        return null;
    }

    /// <summary>The identifier double-quoted for InfluxQL; throws if it is not safe.</summary>
    public static string Quote(string name)
    {
        if (ExplainInvalid(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        // Safe() admits no quote or backslash, so no escaping is needed inside the quotes.
        return new StringBuilder(name.Length + 2).Append('"').Append(name).Append('"').ToString();
    }
}
