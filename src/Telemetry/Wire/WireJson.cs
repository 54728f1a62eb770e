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

    /// <summary>UTF-8 JSON of a truth batch.</summary>
    public static byte[] Encode(TruthBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch, WireJsonContext.Default.TruthBatch);

    /// <summary>UTF-8 JSON of an acknowledgement.</summary>
    public static byte[] Encode(Acknowledgement ack) => JsonSerializer.SerializeToUtf8Bytes(ack, WireJsonContext.Default.Acknowledgement);

    /// <summary>UTF-8 JSON of a gateway health report.</summary>
    public static byte[] Encode(GatewayHealth health) => JsonSerializer.SerializeToUtf8Bytes(health, WireJsonContext.Default.GatewayHealth);

    /// <summary>UTF-8 JSON of a fault command.</summary>
    public static byte[] Encode(FaultCommand command) => JsonSerializer.SerializeToUtf8Bytes(command, WireJsonContext.Default.FaultCommand);

    /// <summary>UTF-8 JSON of a command reply.</summary>
    public static byte[] Encode(CommandReply reply) => JsonSerializer.SerializeToUtf8Bytes(reply, WireJsonContext.Default.CommandReply);

    /// <summary>UTF-8 JSON of an alert.</summary>
    public static byte[] Encode(RigAlert alert) => JsonSerializer.SerializeToUtf8Bytes(alert, WireJsonContext.Default.RigAlert);

    /// <summary>UTF-8 JSON of a gateway's head announcement.</summary>
    public static byte[] Encode(GatewayHead head) => JsonSerializer.SerializeToUtf8Bytes(head, WireJsonContext.Default.GatewayHead);

    /// <summary>UTF-8 JSON of ingest's stored-through watermark.</summary>
    public static byte[] Encode(StoredThrough stored) => JsonSerializer.SerializeToUtf8Bytes(stored, WireJsonContext.Default.StoredThrough);

    /// <summary>Decodes and validates a head announcement.</summary>
    public static bool TryDecodeHead(ReadOnlySpan<byte> json, out GatewayHead? head, out string? error) =>
        TryDecode(json, WireJsonContext.Default.GatewayHead, ValidateHead, out head, out error);

    /// <summary>Decodes and validates a stored-through watermark.</summary>
    public static bool TryDecodeStored(ReadOnlySpan<byte> json, out StoredThrough? stored, out string? error) =>
        TryDecode(json, WireJsonContext.Default.StoredThrough, ValidateStored, out stored, out error);

    private static IEnumerable<string> ValidateHead(GatewayHead head) => ValidatePerStream(head.V, head.T, head.Streams, s => (s.Stream, s.Through),
        (s, at) => s.NextSeq < 0 ? [$"{at}.next_seq: must be ≥ 0"]
            : s.HandledBelow is < 0 || s.HandledBelow > s.NextSeq ? [$"{at}.handled_below: 0 ≤ handled_below ≤ next_seq"] : []);

    private static IEnumerable<string> ValidateStored(StoredThrough stored) => ValidatePerStream(stored.V, stored.T, stored.Streams, s => (s.Stream, s.Through), (_, _) => []);

    // The shape head and stored share: a version, a time, and per stream an id and a `through` time.
    private static IEnumerable<string> ValidatePerStream<T>(int v, string? t, IReadOnlyList<T>? streams, Func<T, (string Stream, string Through)> key,
        Func<T, string, IEnumerable<string>> more) where T : class
    {
        if (v != 1) yield return $"v: unsupported version {v}";
        if (!IsTimestamp(t)) yield return "t: not a UTC timestamp";
        if (streams is null) { yield return "streams: required"; yield break; }
        for (int i = 0; i < streams.Count; i++)
        {
            if (streams[i] is not { } s) { yield return $"streams[{i}]: null"; continue; }
            var (stream, through) = key(s);
            if (WireNames.ExplainInvalidSensor(stream) is { } bad) yield return $"streams[{i}].stream: {bad}";
            if (!IsTimestamp(through)) yield return $"streams[{i}].through: not a UTC timestamp";
            foreach (var problem in more(s, $"streams[{i}]")) yield return problem;
        }
    }

    private static bool IsTimestamp(string? text) => UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(text ?? ""), out _);

    /// <summary>Decodes and validates an alert.</summary>
    public static bool TryDecodeAlert(ReadOnlySpan<byte> json, out RigAlert? alert, out string? error) =>
        TryDecode(json, WireJsonContext.Default.RigAlert,
            a => a.State is "raised" or "cleared" ? [] : [$"state: must be 'raised' or 'cleared' (was '{a.State}')"], out alert, out error);

    /// <summary>Decodes and validates a truth batch.</summary>
    public static bool TryDecodeTruth(ReadOnlySpan<byte> json, out TruthBatch? batch, out string? error) =>
        TryDecode(json, WireJsonContext.Default.TruthBatch, ValidateTruth, out batch, out error);

    /// <summary>Decodes and validates an acknowledgement.</summary>
    public static bool TryDecodeAck(ReadOnlySpan<byte> json, out Acknowledgement? ack, out string? error) =>
        TryDecode(json, WireJsonContext.Default.Acknowledgement, a =>
            a.Ranges is null || a.Ranges.Any(r => r is not { Length: 2 } || r[0] < 0 || r[1] < r[0]) ? ["ranges: each must be [from, to] with 0 ≤ from ≤ to"] : [],
            out ack, out error);

    /// <summary>Decodes a gateway health report.</summary>
    public static bool TryDecodeHealth(ReadOnlySpan<byte> json, out GatewayHealth? health, out string? error) =>
        TryDecode(json, WireJsonContext.Default.GatewayHealth, _ => [], out health, out error);

    /// <summary>Decodes a fault command (its meaning is checked by the gateway).</summary>
    public static bool TryDecodeFaultCommand(ReadOnlySpan<byte> json, out FaultCommand? command, out string? error) =>
        TryDecode(json, WireJsonContext.Default.FaultCommand, _ => [], out command, out error);

    /// <summary>Decodes a command reply.</summary>
    public static bool TryDecodeCommandReply(ReadOnlySpan<byte> json, out CommandReply? reply, out string? error) =>
        TryDecode(json, WireJsonContext.Default.CommandReply, _ => [], out reply, out error);

    private static IEnumerable<string> ValidateTruth(TruthBatch batch)
    {
        if (batch.V != 1) yield return $"v: unsupported version {batch.V}";
        if (batch.Seq < 0) yield return "seq: must be ≥ 0";
        if (batch.Events is null || batch.Events.Count == 0) { yield return "events: at least one"; yield break; }
        for (int i = 0; i < batch.Events.Count; i++)
        {
            var e = batch.Events[i];
            if (e is null) { yield return $"events[{i}]: null"; continue; }
            if (!UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(e.T ?? ""), out _)) yield return $"events[{i}].t: not a UTC timestamp";
            if (WireNames.ExplainInvalidSensor(e.Fault) is { } f) yield return $"events[{i}].fault: {f}";
            if (e.Action is not ("start" or "step" or "clear" or "level")) yield return $"events[{i}].action: start, step, clear or level";
            if (!(e.Severity is >= 0 and <= 1)) yield return $"events[{i}].severity: 0..1";
            if (!double.IsFinite(e.ProgressionPerHour) || e.ProgressionPerHour < 0) yield return $"events[{i}].progression_per_hour: finite, ≥ 0";
            if (e.Source is not ("schedule" or "command" or "replay")) yield return $"events[{i}].source: schedule, command or replay";
        }
    }

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
[JsonSerializable(typeof(TruthBatch))]
[JsonSerializable(typeof(Acknowledgement))]
[JsonSerializable(typeof(GatewayHealth))]
[JsonSerializable(typeof(FaultCommand))]
[JsonSerializable(typeof(CommandReply))]
[JsonSerializable(typeof(RigAlert))]
[JsonSerializable(typeof(GatewayHead))]
[JsonSerializable(typeof(StoredThrough))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
