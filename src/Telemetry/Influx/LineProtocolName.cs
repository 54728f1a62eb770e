using System.Text;

namespace Fieldlab.Telemetry.Influx;

/// <summary>A measurement, key or tag value validated once and held already escaped as UTF-8, for the hot path.</summary>
/// <remarks>See <see cref="LineProtocolWriter"/> for what is escaped and what is rejected.</remarks>
public sealed class LineProtocolName
{
    private LineProtocolName(string text, byte[] escaped)
    {
        Text = text;
        Escaped = escaped;
    }

    /// <summary>The name as given.</summary>
    public string Text { get; }

    /// <summary>The name escaped for its position, in UTF-8.</summary>
    internal byte[] Escaped { get; }

    /// <summary>A measurement name (commas and spaces escaped).</summary>
    public static LineProtocolName Measurement(string name)
    {
        LineProtocolRules.CheckName(name, "measurement");
        if (name[0] == '#') throw new LineProtocolException($"Measurement '{name}' starts with '#', which makes the line a comment.");
        return new LineProtocolName(name, LineProtocolRules.Escape(name, escapeEquals: false));
    }

    /// <summary>A tag key or field key (commas, equals signs and spaces escaped; <c>time</c> and leading <c>_</c> reserved).</summary>
    public static LineProtocolName Key(string name)
    {
        LineProtocolRules.CheckKey(name, "key");
        return new LineProtocolName(name, LineProtocolRules.Escape(name, escapeEquals: true));
    }

    /// <summary>A tag value (commas, equals signs and spaces escaped).</summary>
    public static LineProtocolName TagValue(string value)
    {
        LineProtocolRules.CheckName(value, "tag value");
        return new LineProtocolName(value, LineProtocolRules.Escape(value, escapeEquals: true));
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>The validation and escaping rules of line protocol, shared by <see cref="LineProtocolName"/> and <see cref="LineProtocolWriter"/>.</summary>
internal static class LineProtocolRules
{
    internal static void CheckKey(string key, string what)
    {
        CheckName(key, what);
        if (key == "time") throw new LineProtocolException($"The {what} 'time' is reserved by InfluxDB.");
        if (key[0] == '_') throw new LineProtocolException($"The {what} '{key}' starts with '_', which InfluxDB 2.x/3.x reserve.");
    }

    internal static void CheckName(string? name, string what)
    {
        if (string.IsNullOrEmpty(name)) throw new LineProtocolException($"The {what} is empty.");
        CheckText(name, what);
        // InfluxDB 1.x keeps "\\" in names verbatim, so no escape of a backslash round-trips: reject it.
        if (name.Contains('\\')) throw new LineProtocolException($"The {what} '{name}' contains a backslash, which InfluxDB cannot store faithfully in names.");
        if (Encoding.UTF8.GetByteCount(name) > LineProtocolWriter.MaxNameBytes)
            throw new LineProtocolException($"The {what} is longer than {LineProtocolWriter.MaxNameBytes} bytes.");
    }

    internal static void CheckText(string text, string what)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                if (c < 0x20 || c == 0x7F) throw new LineProtocolException($"The {what} contains control character U+{(int)c:X4} at position {i}.");
                continue;
            }
            if (char.IsControl(c)) throw new LineProtocolException($"The {what} contains control character U+{(int)c:X4} at position {i}.");
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                throw new LineProtocolException($"The {what} contains an unpaired surrogate at position {i}.");
            }
        }
    }

    internal static byte[] Escape(string text, bool escapeEquals)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        int extra = 0;
        foreach (var b in utf8) if (NeedsEscape(b, escapeEquals)) extra++;
        if (extra == 0) return utf8;
        var escaped = new byte[utf8.Length + extra];
        int j = 0;
        foreach (var b in utf8)
        {
            if (NeedsEscape(b, escapeEquals)) escaped[j++] = (byte)'\\';
            escaped[j++] = b;
        }
        return escaped;
    }

    private static bool NeedsEscape(byte b, bool escapeEquals) => b is (byte)',' or (byte)' ' || (escapeEquals && b == (byte)'=');
}
