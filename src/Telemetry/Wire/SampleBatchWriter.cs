using System.Buffers;
using System.Text.Json;

namespace Fieldlab.Telemetry.Wire;

/// <summary>Encodes sample batches in the wire format (docs/telemetry.md), reusing one buffer.</summary>
/// <remarks>Usage: <see cref="Begin"/>, <see cref="BeginRow"/> / <see cref="Value"/> per row, <see cref="Finish"/>.
/// Non-finite values are refused here, at the source, because no receiver would accept them.</remarks>
public sealed class SampleBatchWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = false };

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private bool _inRow;

    /// <summary>Creates a writer.</summary>
    public SampleBatchWriter()
    {
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Rows written in the current batch.</summary>
    public int RowCount { get; private set; }

    /// <summary>Starts a batch of <paramref name="stream"/> whose first row has sequence number <paramref name="firstSeq"/>.</summary>
    public void Begin(string stream, long firstSeq)
    {
        if (WireNames.ExplainInvalidSensor(stream) is { } problem) throw new ArgumentException($"Invalid stream id: {problem}.", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(firstSeq);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("v"u8, 1);
        _json.WriteString("stream"u8, stream);
        _json.WriteNumber("seq"u8, firstSeq);
        _json.WriteStartArray("samples"u8);
        RowCount = 0;
        _inRow = false;
    }

    /// <summary>Starts a row at a time given in nanoseconds since the epoch.</summary>
    public void BeginRow(long timestampNanoseconds)
    {
        EndRow();
        Span<byte> text = stackalloc byte[32];
        int n = UtcTimestamp.Format(timestampNanoseconds, text);
        _json.WriteStartObject();
        _json.WriteString("t"u8, text[..n]);
        _inRow = true;
        RowCount++;
    }

    /// <summary>Adds one sensor value to the current row.</summary>
    public void Value(string sensor, double value)
    {
        if (!_inRow) throw new InvalidOperationException("Call BeginRow first.");
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), $"Sensor '{sensor}' value {value} is not finite; omit a reading that does not exist.");
        _json.WriteNumber(sensor, value);
    }

    /// <summary>Closes the batch and returns its UTF-8 JSON, valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        EndRow();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    private void EndRow()
    {
        if (!_inRow) return;
        _json.WriteEndObject();
        _inRow = false;
    }
}
