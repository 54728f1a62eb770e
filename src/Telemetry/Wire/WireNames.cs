namespace Fieldlab.Telemetry.Wire;

/// <summary>The naming rules of the wire contract: site and rig ids (topic segments) and stream and sensor ids
/// (JSON keys, InfluxDB field keys and InfluxQL identifiers at once).</summary>
/// <remarks>
/// Site and rig: 1–63 of <c>a-z 0-9 -</c>, starting with a letter or digit (a leading <c>_</c> marks system topics).
/// Stream and sensor: 1–63 of <c>a-z 0-9 _</c>, starting with a letter; <c>t</c>, <c>seq</c> and <c>time</c> are reserved.
/// Both are lower case so that "Pump-1" and "pump-1" can never be two rigs.
/// </remarks>
public static class WireNames
{
    private static readonly HashSet<string> ReservedSensorNames = new(StringComparer.Ordinal) { "t", "seq", "time" };

    /// <summary>Null if <paramref name="id"/> is a valid site or rig id, otherwise why not.</summary>
    public static string? ExplainInvalidSegment(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "must not be empty";
        if (id.Length > 63) return $"'{Shorten(id)}' is longer than 63 characters";
        if (!IsLowerAlnum(id[0])) return $"'{Shorten(id)}' must start with a-z or 0-9";
        foreach (var c in id)
        {
            if (!IsLowerAlnum(c) && c != '-') return $"'{Shorten(id)}' may only contain a-z, 0-9 and '-'";
        }
        return null;
    }

    /// <summary>Null if <paramref name="id"/> is a valid stream or sensor id, otherwise why not.</summary>
    public static string? ExplainInvalidSensor(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "must not be empty";
        if (id.Length > 63) return $"'{Shorten(id)}' is longer than 63 characters";
        if (id[0] is < 'a' or > 'z') return $"'{Shorten(id)}' must start with a-z";
        foreach (var c in id)
        {
            if (!IsLowerAlnum(c) && c != '_') return $"'{Shorten(id)}' may only contain a-z, 0-9 and '_'";
        }
        if (ReservedSensorNames.Contains(id)) return $"'{id}' is reserved";
        return null;
    }

    /// <summary>True for a valid site or rig id.</summary>
    public static bool IsValidSegment(string? id) => ExplainInvalidSegment(id) is null;

    /// <summary>True for a valid stream or sensor id.</summary>
    public static bool IsValidSensor(string? id) => ExplainInvalidSensor(id) is null;

    private static bool IsLowerAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
