using System.Globalization;
using System.Text;

namespace Fieldlab.Telemetry.Influx;

/// <summary>Builds a batch of points in InfluxDB line protocol into one reusable UTF-8 buffer.</summary>
/// <remarks>
/// Escaping follows the line protocol reference (InfluxDB 1.x "Line protocol syntax"): in measurements, commas and
/// spaces are escaped; in tag keys, tag values and field keys, commas, equals signs and spaces; in string field values,
/// double quotes and backslashes. What cannot be written faithfully is rejected with <see cref="LineProtocolException"/>
/// and the partial point is removed, so the buffer only ever holds complete points:
/// control characters (a newline would end the point early), backslashes in names (InfluxDB 1.x stores <c>\\</c>
/// in a tag value verbatim, so no escape round-trips), empty names or tag values, a measurement starting with
/// <c>#</c> (a comment line), keys named <c>time</c> or starting with <c>_</c> (reserved in InfluxDB 2.x/3.x),
/// NaN and ±Infinity, and unpaired UTF-16 surrogates.
/// Usage: <see cref="BeginPoint(LineProtocolName)"/>, tags, at least one field, <see cref="EndPoint"/>. Hot paths pass
/// <see cref="LineProtocolName"/>s validated once; the string overloads validate on every call.
/// </remarks>
public sealed class LineProtocolWriter
{
    /// <summary>Longest measurement, key or tag value accepted, in UTF-8 bytes (stricter than InfluxDB's 64 KiB).</summary>
    public const int MaxNameBytes = 256;

    /// <summary>Longest string field value accepted, in UTF-8 bytes (InfluxDB's own limit).</summary>
    public const int MaxStringFieldBytes = 64 * 1024;

    private byte[] _buffer;
    private int _length;
    private int _pointStart = -1;
    private State _state = State.Idle;

    private enum State { Idle, Tags, Fields }

    /// <summary>Creates a writer with an initial buffer capacity in bytes; it grows as needed.</summary>
    public LineProtocolWriter(int initialCapacity = 64 * 1024)
    {
        _buffer = new byte[Math.Max(initialCapacity, 256)];
    }

    /// <summary>Complete points written since the last <see cref="Clear"/>.</summary>
    public int PointCount { get; private set; }

    /// <summary>Bytes of complete points.</summary>
    public int Length => _pointStart >= 0 ? _pointStart : _length;

    /// <summary>The complete points, ready for <c>/write</c>. Valid until the next change to the writer.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => new(_buffer, 0, Length);

    /// <summary>Forgets everything written; keeps the buffer.</summary>
    public void Clear()
    {
        _length = 0;
        _pointStart = -1;
        _state = State.Idle;
        PointCount = 0;
    }

    /// <summary>Starts a point; an unfinished previous point is discarded.</summary>
    public LineProtocolWriter BeginPoint(LineProtocolName measurement)
    {
        CancelPoint();
        _pointStart = _length;
        WriteBytes(measurement.Escaped);
        _state = State.Tags;
        return this;
    }

    /// <summary>Starts a point, validating the measurement name.</summary>
    public LineProtocolWriter BeginPoint(string measurement)
    {
        CancelPoint();
        return BeginPoint(LineProtocolName.Measurement(measurement));
    }

    /// <summary>Adds a tag; tags must come before fields.</summary>
    public LineProtocolWriter Tag(LineProtocolName key, LineProtocolName value)
    {
        if (_state != State.Tags) Fail(new InvalidOperationException("Tags go after BeginPoint and before the first field."));
        WriteByte((byte)',');
        WriteBytes(key.Escaped);
        WriteByte((byte)'=');
        WriteBytes(value.Escaped);
        return this;
    }

    /// <summary>Adds a tag, validating key and value.</summary>
    public LineProtocolWriter Tag(string key, string value) => Tag(Checked(() => LineProtocolName.Key(key)), Checked(() => LineProtocolName.TagValue(value)));

    /// <summary>Adds a float field; NaN and ±Infinity are rejected.</summary>
    public LineProtocolWriter Field(LineProtocolName key, double value)
    {
        if (!double.IsFinite(value))
            Fail(new LineProtocolException($"Field '{key.Text}' is {value.ToString(CultureInfo.InvariantCulture)}; InfluxDB stores only finite numbers."));
        StartField(key);
        // Shortest round-trip text; an integral value stays a float because it has no 'i' suffix.
        Ensure(32);
        value.TryFormat(_buffer.AsSpan(_length), out int written, "R", CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>Adds a float field from the decimal text it arrived as (a JSON number whose value was already checked to be
    /// finite): JSON's number grammar is a subset of what InfluxDB parses as a float, and an integer without the <c>i</c>
    /// suffix stays a float, so the text goes through unchanged — no second parse, no reformatting, the exact decimal kept.</summary>
    public LineProtocolWriter FieldFromJsonNumber(LineProtocolName key, ReadOnlySpan<byte> jsonNumber)
    {
        if (jsonNumber.IsEmpty) Fail(new LineProtocolException($"Field '{key.Text}' has no number text."));
        StartField(key);
        WriteBytes(jsonNumber);
        return this;
    }

    /// <summary>Adds a float field, validating the key.</summary>
    public LineProtocolWriter Field(string key, double value) => Field(Checked(() => LineProtocolName.Key(key)), value);

    /// <summary>Adds a signed 64-bit integer field (written with the <c>i</c> suffix).</summary>
    public LineProtocolWriter Field(LineProtocolName key, long value)
    {
        StartField(key);
        Ensure(24);
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        WriteByte((byte)'i');
        return this;
    }

    /// <summary>Adds an integer field, validating the key.</summary>
    public LineProtocolWriter Field(string key, long value) => Field(Checked(() => LineProtocolName.Key(key)), value);

    /// <summary>Adds a boolean field.</summary>
    public LineProtocolWriter Field(LineProtocolName key, bool value)
    {
        StartField(key);
        WriteBytes(value ? "true"u8 : "false"u8);
        return this;
    }

    /// <summary>Adds a boolean field, validating the key.</summary>
    public LineProtocolWriter Field(string key, bool value) => Field(Checked(() => LineProtocolName.Key(key)), value);

    /// <summary>Adds a string field; quotes and backslashes are escaped, control characters rejected.</summary>
    public LineProtocolWriter Field(LineProtocolName key, string value)
    {
        if (value is null) Fail(new ArgumentNullException(nameof(value)));
        Checked(() => { LineProtocolRules.CheckText(value!, $"string field '{key.Text}'"); return 0; });
        if (Encoding.UTF8.GetByteCount(value!) > MaxStringFieldBytes)
            Fail(new LineProtocolException($"String field '{key.Text}' is longer than {MaxStringFieldBytes} bytes."));
        StartField(key);
        WriteByte((byte)'"');
        foreach (var rune in value!.EnumerateRunes())
        {
            if (rune.Value is '"' or '\\') WriteByte((byte)'\\');
            Ensure(4);
            _length += rune.EncodeToUtf8(_buffer.AsSpan(_length));
        }
        WriteByte((byte)'"');
        return this;
    }

    /// <summary>Adds a string field, validating the key.</summary>
    public LineProtocolWriter Field(string key, string value) => Field(Checked(() => LineProtocolName.Key(key)), value);

    /// <summary>Finishes the point with a timestamp in nanoseconds since the Unix epoch (UTC).</summary>
    public void EndPoint(long timestampNanoseconds)
    {
        if (_state != State.Fields) Fail(new LineProtocolException("A point needs at least one field."));
        WriteByte((byte)' ');
        Ensure(24);
        timestampNanoseconds.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        WriteByte((byte)'\n');
        _pointStart = -1;
        _state = State.Idle;
        PointCount++;
    }

    /// <summary>Discards the point being built, if any.</summary>
    public void CancelPoint()
    {
        if (_pointStart >= 0) _length = _pointStart;
        _pointStart = -1;
        _state = State.Idle;
    }

    private void StartField(LineProtocolName key)
    {
        if (_state == State.Idle) Fail(new InvalidOperationException("Call BeginPoint first."));
        WriteByte(_state == State.Tags ? (byte)' ' : (byte)',');
        _state = State.Fields;
        WriteBytes(key.Escaped);
        WriteByte((byte)'=');
    }

    // Validation failures discard the partial point before the exception leaves the writer.
    private T Checked<T>(Func<T> validate)
    {
        try
        {
            return validate();
        }
        catch
        {
            CancelPoint();
            throw;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(Exception error)
    {
        CancelPoint();
        throw error;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var bigger = new byte[Math.Max(_buffer.Length * 2, _length + extra)];
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _buffer = bigger;
    }
}
