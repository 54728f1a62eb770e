using System.Text.Json;
using System.Text.Unicode;

namespace Fieldlab.Telemetry.Wire;

/// <summary>Decodes and validates a sample batch (docs/telemetry.md, "Sample batch") without allocating per value.</summary>
/// <remarks>
/// A problem with the message as a whole (size, UTF-8, JSON syntax, shape, missing <c>stream</c>/<c>seq</c>/<c>samples</c>,
/// no rows, too many rows) rejects the whole message. A problem confined to one row (timestamp, value type, sensor name,
/// duplicate sensor) rejects only that row, so that the valid rows around it are still stored.
/// Unknown top-level properties are ignored, for forward compatibility.
/// </remarks>
public static class SampleBatchReader
{
    /// <summary>Largest accepted payload in bytes (1 MiB).</summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>Most rows per batch.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Most sensor values per row.</summary>
    public const int MaxValuesPerRow = 64;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Decodes <paramref name="payload"/> into <paramref name="batch"/>; returns false with a reason code
    /// (<see cref="RejectReasons"/>) and a detail when the whole message must be rejected.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, DecodedSampleBatch batch, out string reason, out string detail) =>
        TryRead(payload, batch, parseValues: true, out reason, out detail);

    /// <summary>Like <see cref="TryRead(ReadOnlySpan{byte}, DecodedSampleBatch, out string, out string)"/>; with
    /// <paramref name="parseValues"/> false every number is still validated as finite but not converted (a fifth of the
    /// decoding time), for a consumer that copies the numbers' text — call <see cref="DecodedSampleBatch.ParseValues"/>
    /// when numbers are needed after all.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, DecodedSampleBatch batch, bool parseValues, out string reason, out string detail)
    {
        batch.Reset();
        batch.ValuesParsed = parseValues;
        if (payload.Length > MaxPayloadBytes) return Fail(RejectReasons.TooLarge, $"payload is {payload.Length} bytes; the limit is {MaxPayloadBytes}", out reason, out detail);
        if (!Utf8.IsValid(payload)) return Fail(RejectReasons.InvalidUtf8, "payload is not valid UTF-8", out reason, out detail);
        try
        {
            return ReadBatch(payload, batch, parseValues, out reason, out detail);
        }
        catch (JsonException e)
        {
            return Fail(RejectReasons.MalformedJson, $"not well-formed JSON: {e.Message}", out reason, out detail);
        }
    }

    private static bool ReadBatch(ReadOnlySpan<byte> payload, DecodedSampleBatch batch, bool parseValues, out string reason, out string detail)
    {
        var reader = new Utf8JsonReader(payload, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return Fail(RejectReasons.Schema, "a sample batch must be a JSON object", out reason, out detail);

        bool haveStream = false, haveSeq = false, haveSamples = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("v"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int version))
                    return Fail(RejectReasons.Schema, "'v' must be an integer", out reason, out detail);
                if (version != 1) return Fail(RejectReasons.UnsupportedVersion, $"version {version} is not supported (expected 1)", out reason, out detail);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                if (haveStream) return Fail(RejectReasons.Schema, "'stream' appears twice", out reason, out detail);
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) return Fail(RejectReasons.Schema, "'stream' must be a string", out reason, out detail);
                var stream = reader.GetString()!;
                if (WireNames.ExplainInvalidSensor(stream) is { } problem) return Fail(RejectReasons.InvalidName, $"stream id {problem}", out reason, out detail);
                batch.Stream = stream;
                haveStream = true;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                if (haveSeq) return Fail(RejectReasons.Schema, "'seq' appears twice", out reason, out detail);
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long seq) || seq < 0)
                    return Fail(RejectReasons.Schema, "'seq' must be a non-negative integer", out reason, out detail);
                batch.FirstSeq = seq;
                haveSeq = true;
            }
            else if (reader.ValueTextEquals("samples"u8))
            {
                if (haveSamples) return Fail(RejectReasons.Schema, "'samples' appears twice", out reason, out detail);
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) return Fail(RejectReasons.Schema, "'samples' must be an array", out reason, out detail);
                if (!ReadRows(ref reader, batch, parseValues, out reason, out detail)) return false;
                haveSamples = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) return Fail(RejectReasons.MalformedJson, "the batch object is not closed", out reason, out detail);
        if (reader.Read()) return Fail(RejectReasons.MalformedJson, "unexpected content after the batch object", out reason, out detail);
        if (!haveStream) return Fail(RejectReasons.Schema, "'stream' is missing", out reason, out detail);
        if (!haveSeq) return Fail(RejectReasons.Schema, "'seq' is missing", out reason, out detail);
        if (!haveSamples) return Fail(RejectReasons.Schema, "'samples' is missing", out reason, out detail);
        if (batch.RowCount == 0) return Fail(RejectReasons.EmptyBatch, "'samples' holds no rows", out reason, out detail);
        if (batch.FirstSeq > long.MaxValue - batch.RowCount) return Fail(RejectReasons.Schema, "'seq' is too large for the number of rows", out reason, out detail);
        // Row rejections were recorded before FirstSeq was known for certain (seq may follow samples).
        for (int i = 0; i < batch._rowRejections.Count; i++)
        {
            var r = batch._rowRejections[i];
            batch._rowRejections[i] = r with { Seq = batch.FirstSeq + r.Row };
        }
        reason = "";
        detail = "";
        return true;
    }

    private static bool ReadRows(ref Utf8JsonReader reader, DecodedSampleBatch batch, bool parseValues, out string reason, out string detail)
    {
        Span<byte> unescaped = stackalloc byte[256];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (batch.RowCount >= MaxRows) return Fail(RejectReasons.TooManyRows, $"more than {MaxRows} rows", out reason, out detail);
            int row = batch.AddRow(0);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                batch.RejectRow(row, RejectReasons.Schema, $"row {row} is not an object");
                reader.Skip();
                continue;
            }
            bool haveTime = false;
            int position = -1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                position++;
                scoped ReadOnlySpan<byte> name = reader.ValueSpan;
                if (reader.ValueIsEscaped && name.Length <= unescaped.Length)
                {
                    // Escaped names are rare; a longer one keeps its raw text, whose '\\' fails the naming rules anyway.
                    name = unescaped[..reader.CopyString(unescaped)];
                }
                reader.Read();
                if (name.SequenceEqual("t"u8))
                {
                    if (haveTime) { batch.RejectRow(row, RejectReasons.Schema, $"row {row}: 't' appears twice"); SkipValue(ref reader); continue; }
                    haveTime = true;
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !UtcTimestamp.TryParse(reader.ValueSpan, out long time))
                    {
                        batch.RejectRow(row, RejectReasons.BadTimestamp, $"row {row}: 't' must be a UTC timestamp like 2026-01-31T12:00:00.123456Z");
                        SkipValue(ref reader);
                        continue;
                    }
                    batch.RowTimes[row] = time;
                    continue;
                }
                int sensor = batch.InternName(name, position, out var nameProblem);
                if (sensor < 0)
                {
                    batch.RejectRow(row, RejectReasons.InvalidName, $"row {row}: {nameProblem}");
                    SkipValue(ref reader);
                    continue;
                }
                if (nameProblem is not null)
                {
                    batch.RejectRow(row, RejectReasons.InvalidName, $"row {row}: sensor id {nameProblem}");
                    SkipValue(ref reader);
                    continue;
                }
                double value = double.NaN;
                bool finite = reader.TokenType == JsonTokenType.Number
                    && ((!parseValues && CertainlyFinite(reader.ValueSpan)) || (reader.TryGetDouble(out value) && double.IsFinite(value)));
                if (!finite)
                {
                    batch.RejectRow(row, RejectReasons.Schema, $"row {row}: '{batch.SensorName(sensor)}' must be a finite number");
                    SkipValue(ref reader);
                    continue;
                }
                var values = batch.RowValues(row);
                if (batch.SensorIndexes[values].Contains(sensor))
                {
                    batch.RejectRow(row, RejectReasons.DuplicateSensor, $"row {row}: '{batch.SensorName(sensor)}' appears twice");
                    continue;
                }
                if (values.End.Value - values.Start.Value >= MaxValuesPerRow)
                {
                    batch.RejectRow(row, RejectReasons.Schema, $"row {row}: more than {MaxValuesPerRow} values");
                    continue;
                }
                // A JSON number token is never escaped or split: its bytes are the exact text the publisher sent.
                batch.AddValue(row, sensor, value, (int)reader.TokenStartIndex, reader.ValueSpan.Length);
            }
            if (!haveTime) batch.RejectRow(row, RejectReasons.BadTimestamp, $"row {row}: 't' is missing");
            else if (batch.RowValueCount[row] == 0 && !batch.RowRejected[row]) batch.RejectRow(row, RejectReasons.Schema, $"row {row}: no sensor values");
        }
        reason = "";
        detail = "";
        return true;
    }

    // A JSON number without exponent of at most 300 characters is below 10^300, so finite as a double (max ≈ 1.8·10^308);
    // only the rest needs the conversion to prove it.
    private static bool CertainlyFinite(ReadOnlySpan<byte> number) => number.Length <= 300 && number.IndexOfAny((byte)'e', (byte)'E') < 0;

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
    }

    private static bool Fail(string code, string text, out string reason, out string detail)
    {
        reason = code;
        detail = text;
        return false;
    }
}
