namespace Fieldlab.Telemetry.Wire;

/// <summary>A sample batch decoded by <see cref="SampleBatchReader"/> into flat, reusable arrays: rows with their
/// timestamp and sequence number, values with a sensor index. Reused between messages to avoid allocations.</summary>
public sealed class DecodedSampleBatch
{
    private const int MaxCachedNames = 1024;

    private readonly Dictionary<byte[], int> _nameIndex = new(Utf8NameComparer.Instance);
    private readonly List<string> _names = [];
    private readonly List<string?> _nameProblems = [];
    private readonly List<byte[]> _nameBytes = [];
    private int[] _positionHint = new int[16];
    internal readonly List<RowRejection> _rowRejections = [];

    internal long[] RowTimes = new long[64];
    internal int[] RowValueStart = new int[64];
    internal int[] RowValueCount = new int[64];
    internal bool[] RowRejected = new bool[64];
    internal int[] ValueSensor = new int[512];
    internal double[] ValueData = new double[512];
    internal int[] ValueTextStart = new int[512];
    internal int[] ValueTextLength = new int[512];
    internal int ValueCount;

    /// <summary>Stream id.</summary>
    public string Stream { get; internal set; } = "";

    /// <summary>Sequence number of the first row; row <c>i</c> has <c>FirstSeq + i</c>.</summary>
    public long FirstSeq { get; internal set; }

    /// <summary>Rows in the batch, rejected ones included.</summary>
    public int RowCount { get; internal set; }

    /// <summary>Rows that could not be decoded, with the reason; the other rows are valid.</summary>
    public IReadOnlyList<RowRejection> RowRejections => _rowRejections;

    /// <summary>Timestamp of a row, ns since the epoch.</summary>
    public long RowTime(int row) => RowTimes[row];

    /// <summary>True if the row was rejected while decoding.</summary>
    public bool IsRowRejected(int row) => RowRejected[row];

    /// <summary>The values of a row as (sensor index, value) ranges into <see cref="SensorIndexes"/> and <see cref="Values"/>.</summary>
    public Range RowValues(int row) => new(RowValueStart[row], RowValueStart[row] + RowValueCount[row]);

    /// <summary>Sensor index of every value (see <see cref="SensorName"/>).</summary>
    public ReadOnlySpan<int> SensorIndexes => ValueSensor.AsSpan(0, ValueCount);

    /// <summary>Every value in row order.</summary>
    public ReadOnlySpan<double> Values => ValuesParsed
        ? ValueData.AsSpan(0, ValueCount)
        : throw new InvalidOperationException("The values were not parsed (read with parseValues: false); call ParseValues with the payload first.");

    /// <summary>False after a read that only validated the numbers (ingest's storage path copies their text): call
    /// <see cref="ParseValues"/> before reading <see cref="Values"/>.</summary>
    public bool ValuesParsed { get; internal set; } = true;

    /// <summary>Parses the values from the text they were read from (<paramref name="payload"/> must be the decoded
    /// message); for the consumers that need numbers (the models), not for storage.</summary>
    public void ParseValues(ReadOnlySpan<byte> payload)
    {
        if (ValuesParsed) return;
        for (int i = 0; i < ValueCount; i++)
        {
            // Validated as a finite JSON number when read: this cannot fail.
            ValueData[i] = double.Parse(payload.Slice(ValueTextStart[i], ValueTextLength[i]), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        }
        ValuesParsed = true;
    }

    /// <summary>Where each value's JSON number text lies in the payload (start, length), in row order: the exact decimal
    /// the publisher sent, which line protocol can carry unchanged.</summary>
    public (ReadOnlyMemory<int> Start, ReadOnlyMemory<int> Length) ValueText => (ValueTextStart.AsMemory(0, ValueCount), ValueTextLength.AsMemory(0, ValueCount));

    /// <summary>The sensor id behind an index.</summary>
    public string SensorName(int index) => _names[index];

    /// <summary>Marks a row rejected after decoding (by a later validation step).</summary>
    public void RejectRow(int row, string reason, string detail)
    {
        if (RowRejected[row]) return;
        RowRejected[row] = true;
        _rowRejections.Add(new RowRejection(row, FirstSeq + row, reason, detail));
    }

    internal void Reset()
    {
        Stream = "";
        FirstSeq = 0;
        RowCount = 0;
        ValueCount = 0;
        ValuesParsed = true;
        _rowRejections.Clear();
        if (_names.Count > MaxCachedNames)
        {
            _nameIndex.Clear();
            _nameBytes.Clear();
            Array.Clear(_positionHint);
            _names.Clear();
            _nameProblems.Clear();
        }
    }

    internal int AddRow(long time)
    {
        if (RowCount == RowTimes.Length)
        {
            int size = RowTimes.Length * 2;
            Array.Resize(ref RowTimes, size);
            Array.Resize(ref RowValueStart, size);
            Array.Resize(ref RowValueCount, size);
            Array.Resize(ref RowRejected, size);
        }
        int row = RowCount++;
        RowTimes[row] = time;
        RowValueStart[row] = ValueCount;
        RowValueCount[row] = 0;
        RowRejected[row] = false;
        return row;
    }

    internal void AddValue(int row, int sensor, double value, int textStart, int textLength)
    {
        if (ValueCount == ValueData.Length)
        {
            Array.Resize(ref ValueData, ValueData.Length * 2);
            Array.Resize(ref ValueSensor, ValueSensor.Length * 2);
            Array.Resize(ref ValueTextStart, ValueTextStart.Length * 2);
            Array.Resize(ref ValueTextLength, ValueTextLength.Length * 2);
        }
        ValueSensor[ValueCount] = sensor;
        ValueData[ValueCount] = value;
        ValueTextStart[ValueCount] = textStart;
        ValueTextLength[ValueCount] = textLength;
        ValueCount++;
        RowValueCount[row]++;
    }

    // Returns the index of a sensor name, adding it on first sight; the naming check runs once per distinct name.
    // Returns -1 when a single batch brings more distinct names than the cache holds (a hostile or broken publisher).
    // Rows of a batch nearly always repeat their keys in the same order, so the name seen at the same position in the
    // previous row is tried first: one short compare instead of a hash.
    internal int InternName(ReadOnlySpan<byte> utf8, int position, out string? problem)
    {
        if (position < _positionHint.Length)
        {
            int hint = _positionHint[position];
            if (hint > 0 && utf8.SequenceEqual(_nameBytes[hint - 1]))
            {
                problem = _nameProblems[hint - 1];
                return hint - 1;
            }
        }
        int index = InternName(utf8, out problem);
        if (index >= 0)
        {
            if (position >= _positionHint.Length) Array.Resize(ref _positionHint, Math.Max(position + 1, _positionHint.Length * 2));
            _positionHint[position] = index + 1;
        }
        return index;
    }

    private int InternName(ReadOnlySpan<byte> utf8, out string? problem)
    {
        var lookup = _nameIndex.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(utf8, out int index))
        {
            problem = _nameProblems[index];
            return index;
        }
        if (_names.Count >= 2 * MaxCachedNames)
        {
            problem = $"the batch names more than {MaxCachedNames} distinct sensors";
            return -1;
        }
        var name = System.Text.Encoding.UTF8.GetString(utf8);
        problem = WireNames.ExplainInvalidSensor(name);
        var bytes = utf8.ToArray();
        _nameIndex[bytes] = _names.Count;
        _nameBytes.Add(bytes);
        _names.Add(name);
        _nameProblems.Add(problem);
        return _names.Count - 1;
    }
}

/// <summary>A row of a batch that was not accepted, and why.</summary>
public readonly record struct RowRejection(int Row, long Seq, string Reason, string Detail);

/// <summary>Compares UTF-8 names by content, also against spans (for allocation-free lookups).</summary>
internal sealed class Utf8NameComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly Utf8NameComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
