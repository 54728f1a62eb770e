using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fieldlab.Telemetry.Wire;

/// <summary>Encodes and decodes the low-rate JSON messages of the wire contract (birth, state, dead letter) with
/// snake_case names; decoding validates and explains what is wrong.</summary>
public static class WireJson
{
    /// <summary>UTF-8 JSON of a birth message.</summary>
    public static byte[] Encode(RigBirth birth) => JsonSerializer.SerializeToUtf8Bytes(birth, WireJsonContext.Default.RigBirth);

    /// <summary>UTF-8 JSON of a state message.</summary>
    public static byte[] Encode(RigState state) => JsonSerializer.SerializeToUtf8Bytes(state, WireJsonContext.Default.RigState);

    /// <summary>UTF-8 JSON of a dead letter.</summary>
    public static byte[] Encode(DeadLetter letter) => JsonSerializer.SerializeToUtf8Bytes(letter, WireJsonContext.Default.DeadLetter);

    /// <summary>Decodes and validates a birth message.</summary>
    public static bool TryDecodeBirth(ReadOnlySpan<byte> json, out RigBirth? birth, out string? error) =>
        TryDecode(json, WireJsonContext.Default.RigBirth, b => b.Validate(), out birth, out error);

    /// <summary>Decodes and validates a state message.</summary>
    public static bool TryDecodeState(ReadOnlySpan<byte> json, out RigState? state, out string? error) =>
        TryDecode(json, WireJsonContext.Default.RigState,
            s => s.State is "online" or "offline" ? [] : [$"state: must be 'online' or 'offline' (was '{s.State}')"], out state, out error);

    /// <summary>Decodes a dead letter.</summary>
    public static bool TryDecodeDeadLetter(ReadOnlySpan<byte> json, out DeadLetter? letter, out string? error) =>
        TryDecode(json, WireJsonContext.Default.DeadLetter, _ => [], out letter, out error);

    /// <summary>A bounded, printable excerpt of a payload for dead letters and logs: at most <paramref name="maxChars"/>
    /// characters, invalid UTF-8 replaced, control characters escaped as <c>\uXXXX</c>.</summary>
    public static string Excerpt(ReadOnlySpan<byte> payload, int maxChars = 512)
    {
        var text = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, maxChars * 4)]);
        var result = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        foreach (var c in text)
        {
            if (result.Length >= maxChars) { result.Append('…'); break; }
            if (char.IsControl(c)) result.Append($"\\u{(int)c:X4}");
            else result.Append(c);
        }
        return result.ToString();
    }

    private static bool TryDecode<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info,
        Func<T, IEnumerable<string>> validate, out T? value, out string? error) where T : class
    {
        value = null;
        try
        {
            var decoded = JsonSerializer.Deserialize(json, info);
            if (decoded is null) { error = "the message is JSON null"; return false; }
            var problems = validate(decoded).ToList();
            if (problems.Count > 0) { error = string.Join("; ", problems); return false; }
            value = decoded;
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"not a valid {typeof(T).Name}: {e.Message}";
            return false;
        }
        catch (ArgumentException e)
        {
            error = $"not a valid {typeof(T).Name}: {e.Message}";
            return false;
        }
    }
}

/// <summary>Source-generated JSON metadata for the wire messages (snake_case, nulls omitted, required members enforced).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(RigBirth))]
[JsonSerializable(typeof(RigState))]
[JsonSerializable(typeof(DeadLetter))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
