using Parquet;
using Parquet.Schema;

namespace Fieldlab.Datasets.Formats;

/// <summary>The samples table as Parquet: <c>time</c> a UTC timestamp, <c>rig</c> and <c>stream</c> strings, one
/// optional double per sensor. Rows are buffered column-wise and flushed as a row group every
/// <see cref="RowGroupRows"/> rows, so memory stays bounded however long the dataset is.</summary>
/// <remarks>Deterministic: Parquet.Net writes no clock or random value; its <c>created_by</c> names only the library
/// version (pinned centrally), and no custom key-value metadata is added.</remarks>
internal sealed class ParquetTableFile : IAsyncDisposable
{
    /// <summary>Rows per row group: ~50,000 rows × (8 + 2 references + 16 per sensor) bytes stays a few MB.</summary>
    public const int DefaultRowGroupRows = 50_000;

    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField _time;
    private readonly DataField _rig;
    private readonly DataField _streamField;
    private readonly DataField[] _sensors;
    private readonly DateTime[] _times;
    private readonly string[] _rigs;
    private readonly string[] _streams;
    private readonly double?[][] _values;
    private int _buffered;
    private bool _closed;

    private ParquetTableFile(FileStream stream, ParquetWriter writer, DataField time, DataField rig, DataField streamField, DataField[] sensors, int rowGroupRows)
    {
        _stream = stream;
        _writer = writer;
        _time = time;
        _rig = rig;
        _streamField = streamField;
        _sensors = sensors;
        RowGroupRows = rowGroupRows;
        _times = new DateTime[rowGroupRows];
        _rigs = new string[rowGroupRows];
        _streams = new string[rowGroupRows];
        _values = sensors.Select(_ => new double?[rowGroupRows]).ToArray();
    }

    /// <summary>Rows per row group of this file.</summary>
    public int RowGroupRows { get; }

    /// <summary>Data rows written (flushed or buffered).</summary>
    public long Rows { get; private set; }

    /// <summary>Row groups flushed so far.</summary>
    public int RowGroups { get; private set; }

    /// <summary>Creates the file for a table.</summary>
    public static async Task<ParquetTableFile> CreateAsync(string path, DatasetTableSpec spec, int rowGroupRows, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        var time = new DateTimeDataField(spec.Columns[0].Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Nanos, isNullable: false);
        var rig = new DataField<string>(spec.Columns[1].Name, false);
        var stream = new DataField<string>(spec.Columns[2].Name, false);
        var sensors = spec.Columns.Skip(DatasetTableSpec.KeyColumnCount).Select(c => (DataField)new DataField<double?>(c.Name)).ToArray();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CsvText.BufferSize);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema([time, rig, stream, .. sensors]), file, new ParquetOptions(), append: false, ct);
            return new ParquetTableFile(file, writer, time, rig, stream, sensors, rowGroupRows);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Buffers a row, flushing a row group when the buffer is full.</summary>
    public async ValueTask WriteAsync(SampleRow row, CancellationToken ct)
    {
        _times[_buffered] = ToDateTime(row.TimeNs);
        _rigs[_buffered] = row.Rig;
        _streams[_buffered] = row.Stream;
        for (int s = 0; s < _values.Length; s++) _values[s][_buffered] = row.Values[s];
        _buffered++;
        Rows++;
        if (_buffered == RowGroupRows) await FlushAsync(ct);
    }

    /// <summary>Flushes the last row group and the footer, and makes the file durable.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        // An empty table still gets one (empty) row group so that every reader sees the schema the same way.
        if (_buffered > 0 || RowGroups == 0) await FlushAsync(ct);
        // Disposing the Parquet writer is what writes the footer: exactly once.
        _closed = true;
        await _writer.DisposeAsync();
        await _stream.FlushAsync(ct);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Converts ns since the epoch to a UTC DateTime (100 ns ticks).</summary>
    internal static DateTime ToDateTime(long nanoseconds) => DateTime.UnixEpoch.AddTicks(nanoseconds / 100);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _writer.DisposeAsync();
        }
        await _stream.DisposeAsync();
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        int n = _buffered;
        using (var group = _writer.CreateRowGroup())
        {
            await group.WriteAsync<DateTime>(_time, _times.AsMemory(0, n), null, null, ct);
            await group.WriteAsync(_rig, new ArraySegment<string>(_rigs, 0, n), null);
            await group.WriteAsync(_streamField, new ArraySegment<string>(_streams, 0, n), null);
            for (int s = 0; s < _sensors.Length; s++) await group.WriteAsync<double>(_sensors[s], _values[s].AsMemory(0, n), null, null, ct);
            group.CompleteValidate();
        }
        _buffered = 0;
        RowGroups++;
    }
}
