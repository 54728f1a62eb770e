using Fieldlab.Datasets.Formats;
using Parquet;
using Parquet.Schema;

namespace Fieldlab.Datasets;

/// <summary>Writes <c>waveforms.parquet</c>: the raw waveform samples in long format, one row per sample instant of a
/// stream — <c>time</c>, <c>rig</c>, <c>stream</c>, <c>seq</c>, then one float column per axis — in the order the
/// blocks come (the freezer gives each stream whole, in time order).</summary>
/// <remarks>Parquet only: an hour of a 12.8 kHz three-axis sensor is 46 million rows, some 3 GB as CSV but a fraction
/// of that as column-compressed floats. Rows are buffered column-wise and flushed every <see cref="RowGroupRows"/> rows,
/// so memory is one row group whatever the range. Deterministic: no clock or random value is written.</remarks>
public sealed class WaveformTableWriter : IAsyncDisposable
{
    /// <summary>The file's name.</summary>
    public const string FileName = "waveforms.parquet";

    /// <summary>Its role in the manifest.</summary>
    public const string Role = "waveforms";

    /// <summary>Rows per row group: 131,072 rows × (8 + 16 + 8 + 8 per axis) bytes is ~7 MB for three axes.</summary>
    public const int DefaultRowGroupRows = 131_072;

    /// <summary>The key columns before the axes.</summary>
    public static IReadOnlyList<DatasetColumn> KeyColumns { get; } =
    [
        new("time", DatasetColumn.DateTimeType, null, "When the sample was taken, UTC (a Parquet timestamp: 100 ns precision; the frame's start plus i / rate)"),
        DatasetColumn.Rig,
        new("stream", DatasetColumn.StringType, null, "Waveform stream id of the rig"),
        new("seq", DatasetColumn.IntegerType, null, "The sample's sequence number in its stream (consecutive: a jump is a gap in the recording)"),
    ];

    private readonly string _directory;
    private readonly IReadOnlyList<DatasetColumn> _columns;
    private readonly FileStream _file;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _keyFields;
    private readonly DataField[] _axisFields;
    private readonly DateTime[] _times;
    private readonly string[] _rigs;
    private readonly string[] _streams;
    private readonly long[] _seqs;
    private readonly float?[][] _axes;
    private int _buffered;
    private bool _closed;

    private WaveformTableWriter(string directory, IReadOnlyList<DatasetColumn> columns, FileStream file, ParquetWriter writer, DataField[] keyFields, DataField[] axisFields, int rowGroupRows)
    {
        _keyFields = keyFields;
        _directory = directory;
        _columns = columns;
        _file = file;
        _writer = writer;
        _axisFields = axisFields;
        RowGroupRows = rowGroupRows;
        _times = new DateTime[rowGroupRows];
        _rigs = new string[rowGroupRows];
        _streams = new string[rowGroupRows];
        _seqs = new long[rowGroupRows];
        _axes = axisFields.Select(_ => new float?[rowGroupRows]).ToArray();
    }

    /// <summary>Rows per row group of this file.</summary>
    public int RowGroupRows { get; }

    /// <summary>Rows written (flushed or buffered).</summary>
    public long Rows { get; private set; }

    /// <summary>Row groups flushed so far.</summary>
    public int RowGroups { get; private set; }

    /// <summary>Creates the file (it may not exist) with one float column per axis column given (type <c>number</c>).</summary>
    public static async Task<WaveformTableWriter> CreateAsync(string directory, IReadOnlyList<DatasetColumn> axes, CancellationToken ct, int rowGroupRows = DefaultRowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        if (axes.Count == 0) throw new ArgumentException("a waveform table needs at least one axis column", nameof(axes));
        var columns = KeyColumns.Concat(axes).ToList();
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count) throw new ArgumentException("axis columns must have unique names other than the key columns'", nameof(axes));
        DataField[] keyFields =
        [
            new DateTimeDataField("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Nanos, isNullable: false),
            new DataField<string>("rig", false), new DataField<string>("stream", false), new DataField<long>("seq", false),
        ];
        var axisFields = axes.Select(a => (DataField)new DataField<float?>(a.Name)).ToArray();
        var file = new FileStream(Path.Combine(directory, FileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CsvText.BufferSize);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. keyFields, .. axisFields]), file, new ParquetOptions(), append: false, ct);
            return new WaveformTableWriter(directory, columns, file, writer, keyFields, axisFields, rowGroupRows);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Appends the block's samples, flushing row groups as they fill.</summary>
    public async ValueTask WriteAsync(WaveformBlock block, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (block.Axes is null || block.Axes.Length != _axes.Length) throw new ArgumentException($"block of {block.Rig}/{block.Stream} has {block.Axes?.Length ?? 0} axes for {_axes.Length} axis columns", nameof(block));
        if (!(block.RateHz > 0) || !double.IsFinite(block.RateHz)) throw new ArgumentException($"block of {block.Rig}/{block.Stream}: rate {block.RateHz} Hz", nameof(block));
        for (int i = 0; i < block.Count; i++)
        {
            _times[_buffered] = ParquetTableFile.ToDateTime(block.TimeOf(i));
            _rigs[_buffered] = block.Rig;
            _streams[_buffered] = block.Stream;
            _seqs[_buffered] = block.Seq + i;
            for (int a = 0; a < _axes.Length; a++)
            {
                var axis = block.Axes[a].Span;
                _axes[a][_buffered] = i < axis.Length ? axis[i] : null;
            }
            _buffered++;
            Rows++;
            if (_buffered == RowGroupRows) await FlushAsync(ct);
        }
    }

    /// <summary>Flushes the last row group and the footer, makes the file durable and describes it.</summary>
    public async Task<DatasetFile> CompleteAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        // An empty table still gets one (empty) row group so that every reader sees the schema the same way.
        if (_buffered > 0 || RowGroups == 0) await FlushAsync(ct);
        _closed = true;
        await _writer.DisposeAsync();
        await _file.FlushAsync(ct);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync();
        var described = await FileHash.DescribeAsync(_directory, FileName, "parquet", SamplesTableWriter.ParquetMediaType, Rows, ct);
        return described with
        {
            Role = Role, Columns = _columns,
            Description = "Raw waveform samples (Parquet only: CSV would be several GB an hour), long format: one row per sample instant of a waveform stream, "
                + "`time` (UTC timestamp), `rig`, `stream`, `seq`, then one float32 column per axis (null where the axis belongs to another stream); "
                + "rows by rig and stream, then time. pandas: `pd.read_parquet(\"waveforms.parquet\").query(\"stream == 'vibration'\").set_index(\"time\")`.",
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _writer.DisposeAsync();
        }
        await _file.DisposeAsync();
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        int n = _buffered;
        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<DateTime>(_keyFields[0], _times.AsMemory(0, n), null, null, ct);
            await group.WriteAsync(_keyFields[1], new ArraySegment<string>(_rigs, 0, n), null);
            await group.WriteAsync(_keyFields[2], new ArraySegment<string>(_streams, 0, n), null);
            await group.WriteAsync<long>(_keyFields[3], _seqs.AsMemory(0, n), null, null, ct);
            for (int a = 0; a < _axes.Length; a++) await group.WriteAsync<float>(_axisFields[a], _axes[a].AsMemory(0, n), null, null, ct);
            group.CompleteValidate();
        }
        _buffered = 0;
        RowGroups++;
    }
}
