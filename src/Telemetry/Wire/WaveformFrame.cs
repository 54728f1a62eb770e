using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Fieldlab.Telemetry.Wire;

/// <summary>A frame of a high-rate stream (vibration): consecutive samples of 1–3 axes from one instant on, at a fixed
/// rate. Encoded as one line of JSON header, a newline, then the samples as little-endian float32, axis after axis
/// (docs/telemetry.md, "Waveform frame"): self-describing for a student, about 4 bytes per sample on the wire.</summary>
public sealed class WaveformFrame
{
    /// <summary>Most samples per axis in one frame.</summary>
    public const int MaxSamplesPerAxis = 65_536;

    /// <summary>Longest accepted header, bytes.</summary>
    public const int MaxHeaderBytes = 1024;

    /// <summary>Creates a frame; <paramref name="samples"/> holds <c>axes × count</c> values, axis-major.</summary>
    public WaveformFrame(string stream, long seq, long startNanoseconds, double sampleRateHz, IReadOnlyList<string> axes, string unit, float[] samples)
    {
        Stream = stream;
        Seq = seq;
        StartNanoseconds = startNanoseconds;
        SampleRateHz = sampleRateHz;
        Axes = axes;
        Unit = unit;
        Samples = samples;
    }

    /// <summary>Stream id.</summary>
    public string Stream { get; }

    /// <summary>Index of the first sample instant in the stream (the next frame starts at <c>Seq + Count</c>).</summary>
    public long Seq { get; }

    /// <summary>Time of the first sample, ns since the epoch.</summary>
    public long StartNanoseconds { get; }

    /// <summary>Sample rate, Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Axis (sensor) ids in the order of the data.</summary>
    public IReadOnlyList<string> Axes { get; }

    /// <summary>Unit of the samples (e.g. <c>m/s2</c>).</summary>
    public string Unit { get; }

    /// <summary>Samples, axis after axis.</summary>
    public float[] Samples { get; }

    /// <summary>Samples per axis.</summary>
    public int Count => Samples.Length / Math.Max(1, Axes.Count);

    /// <summary>One axis's samples.</summary>
    public ReadOnlySpan<float> Axis(int axis) => Samples.AsSpan(axis * Count, Count);

    /// <summary>Encodes the frame.</summary>
    public byte[] Encode()
    {
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("stream", Stream);
            json.WriteNumber("seq", Seq);
            json.WriteString("t0", UtcTimestamp.Format(StartNanoseconds));
            json.WriteNumber("rate_hz", SampleRateHz);
            json.WriteStartArray("axes");
            foreach (var a in Axes) json.WriteStringValue(a);
            json.WriteEndArray();
            json.WriteString("unit", Unit);
            json.WriteNumber("count", Count);
            json.WriteString("encoding", "f32le");
            json.WriteEndObject();
        }
        header.WriteByte((byte)'\n');
        var bytes = new byte[header.Length + Samples.Length * 4];
        header.ToArray().CopyTo(bytes, 0);
        var data = bytes.AsSpan((int)header.Length);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(Samples.AsSpan()).CopyTo(data);
        else for (int i = 0; i < Samples.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], Samples[i]);
        return bytes;
    }

    /// <summary>Decodes and validates a frame; on failure says why (reason code from <see cref="RejectReasons"/>).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out WaveformFrame? frame, out string reason, out string detail)
    {
        frame = null;
        int newline = payload[..Math.Min(payload.Length, MaxHeaderBytes)].IndexOf((byte)'\n');
        if (newline < 0) return Fail(RejectReasons.Schema, $"no header line within the first {MaxHeaderBytes} bytes", out reason, out detail);
        string? stream = null, t0 = null, unit = null, encoding = null;
        long seq = -1;
        int count = -1, version = 1;
        double rate = double.NaN;
        var axes = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(payload[..newline]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Fail(RejectReasons.Schema, "the header must be a JSON object", out reason, out detail);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "v" when reader.TokenType == JsonTokenType.Number: version = reader.GetInt32(); break;
                    case "stream" when reader.TokenType == JsonTokenType.String: stream = reader.GetString(); break;
                    case "seq" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s): seq = s; break;
                    case "t0" when reader.TokenType == JsonTokenType.String: t0 = reader.GetString(); break;
                    case "rate_hz" when reader.TokenType == JsonTokenType.Number: rate = reader.GetDouble(); break;
                    case "unit" when reader.TokenType == JsonTokenType.String: unit = reader.GetString(); break;
                    case "count" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var c): count = c; break;
                    case "encoding" when reader.TokenType == JsonTokenType.String: encoding = reader.GetString(); break;
                    case "axes" when reader.TokenType == JsonTokenType.StartArray:
                        while (reader.Read() && reader.TokenType == JsonTokenType.String) axes.Add(reader.GetString()!);
                        if (reader.TokenType != JsonTokenType.EndArray) return Fail(RejectReasons.Schema, "'axes' must be an array of strings", out reason, out detail);
                        break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException e)
        {
            return Fail(RejectReasons.MalformedJson, $"the header is not valid JSON: {e.Message}", out reason, out detail);
        }
        if (version != 1) return Fail(RejectReasons.UnsupportedVersion, $"version {version} is not supported", out reason, out detail);
        if (WireNames.ExplainInvalidSensor(stream) is { } badStream) return Fail(RejectReasons.InvalidName, $"stream id {badStream}", out reason, out detail);
        if (seq < 0) return Fail(RejectReasons.Schema, "'seq' must be a non-negative integer", out reason, out detail);
        if (t0 is null || !UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(t0), out long start)) return Fail(RejectReasons.BadTimestamp, "'t0' must be a UTC timestamp", out reason, out detail);
        if (!(rate > 0 && rate <= 1_000_000)) return Fail(RejectReasons.Schema, "'rate_hz' must be in (0, 1e6]", out reason, out detail);
        if (axes.Count is < 1 or > 3) return Fail(RejectReasons.Schema, "'axes' must name 1 to 3 axes", out reason, out detail);
        foreach (var a in axes) if (WireNames.ExplainInvalidSensor(a) is { } badAxis) return Fail(RejectReasons.InvalidName, $"axis id {badAxis}", out reason, out detail);
        if (axes.Distinct().Count() != axes.Count) return Fail(RejectReasons.DuplicateSensor, "an axis is named twice", out reason, out detail);
        if (string.IsNullOrWhiteSpace(unit) || unit.Length > 32) return Fail(RejectReasons.Schema, "'unit' is required (1–32 characters)", out reason, out detail);
        if (encoding != "f32le") return Fail(RejectReasons.Schema, $"'encoding' must be f32le (was '{encoding}')", out reason, out detail);
        if (count is < 1 or > MaxSamplesPerAxis) return Fail(RejectReasons.Schema, $"'count' must be 1..{MaxSamplesPerAxis}", out reason, out detail);
        var data = payload[(newline + 1)..];
        long expected = 4L * count * axes.Count;
        if (data.Length != expected) return Fail(RejectReasons.Schema, $"expected {expected} data bytes for {axes.Count} axes × {count} samples, got {data.Length}", out reason, out detail);
        var samples = new float[count * axes.Count];
        if (BitConverter.IsLittleEndian) data.CopyTo(MemoryMarshal.AsBytes(samples.AsSpan()));
        else for (int i = 0; i < samples.Length; i++) samples[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        foreach (var v in samples) if (!float.IsFinite(v)) return Fail(RejectReasons.Schema, "a sample is NaN or infinite", out reason, out detail);
        frame = new WaveformFrame(stream!, seq, start, rate, axes, unit!, samples);
        reason = detail = "";
        return true;
    }

    private static bool Fail(string code, string text, out string reason, out string detail)
    {
        reason = code;
        detail = text;
        return false;
    }
}
