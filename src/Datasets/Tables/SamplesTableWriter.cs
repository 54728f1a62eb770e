using Fieldlab.Datasets.Formats;

namespace Fieldlab.Datasets;

/// <summary>Writes <c>{table}.csv</c>, <c>{table}.parquet</c> and one replay file per (rig, stream) —
/// <c>replay-{rig}-{stream}.csv</c> — into a directory, in one pass over rows streamed in the order given.</summary>
/// <remarks>Memory is bounded by one Parquet row group (<see cref="ParquetRowGroupRows"/> rows); the CSV files are
/// written as rows arrive. Every value must be finite (NaN is not a reading: pass null).</remarks>
public sealed class SamplesTableWriter : IAsyncDisposable
{
    /// <summary>Media type of the CSV files.</summary>
    public const string CsvMediaType = "text/csv; charset=utf-8";

    /// <summary>Media type of the Parquet file (registered with IANA).</summary>
    public const string ParquetMediaType = "application/vnd.apache.parquet";

    private readonly string _directory;
    private readonly DatasetTableSpec _spec;
    private readonly int _rowGroupRows;
    private readonly CsvTableFile _csv;
    private readonly SortedDictionary<(string Rig, string Stream), (ReplayHeader Header, ReplayTableFile File)> _replays;
    private ParquetTableFile? _parquet;
    private bool _completed;

    /// <summary>Creates the files (none may exist yet) for a table and the replay files of the given rig streams.</summary>
    public SamplesTableWriter(string directory, DatasetTableSpec spec, IReadOnlyDictionary<(string Rig, string Stream), ReplayHeader> replay)
        : this(directory, spec, replay, ParquetTableFile.DefaultRowGroupRows)
    {
    }

    /// <summary>As the public constructor, with a chosen Parquet row-group size.</summary>
    public SamplesTableWriter(string directory, DatasetTableSpec spec, IReadOnlyDictionary<(string Rig, string Stream), ReplayHeader> replay, int parquetRowGroupRows)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentOutOfRangeException.ThrowIfLessThan(parquetRowGroupRows, 1);
        spec.Validate();
        _directory = directory;
        _spec = spec;
        _rowGroupRows = parquetRowGroupRows;
        var sensorIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = DatasetTableSpec.KeyColumnCount; i < spec.Columns.Count; i++) sensorIndex[spec.Columns[i].Name] = i - DatasetTableSpec.KeyColumnCount;
        var indexes = new List<(ReplayHeader, int[])>();
        foreach (var ((rig, stream), header) in replay)
        {
            if (header.Rig != rig || header.Stream != stream) throw new ArgumentException($"replay key {rig}/{stream} holds the header of {header.Rig}/{header.Stream}", nameof(replay));
            if (header.Columns is { } named && named.Count != header.Sensors.Count) throw new ArgumentException($"replay {rig}/{stream} names {named.Count} columns for {header.Sensors.Count} sensors", nameof(replay));
            indexes.Add((header, (header.Columns ?? header.Sensors).Select(s => sensorIndex.TryGetValue(s, out int i) ? i
                : throw new ArgumentException($"replay {rig}/{stream} names sensor '{s}', which is not a column of the table", nameof(replay))).ToArray()));
        }
        // Ordinal order: the file list (and so the manifest) must not depend on the caller's dictionary order.
        _replays = new(Comparer<(string Rig, string Stream)>.Create((a, b) =>
        {
            int c = string.CompareOrdinal(a.Rig, b.Rig);
            return c != 0 ? c : string.CompareOrdinal(a.Stream, b.Stream);
        }));
        try
        {
            _csv = new CsvTableFile(PathOf(CsvName), spec);
            foreach (var (header, sensorIndexes) in indexes)
            {
                _replays.Add((header.Rig, header.Stream), (header, new ReplayTableFile(PathOf(header.FileName), header, sensorIndexes)));
            }
        }
        catch
        {
            DisposeCsv();
            throw;
        }
    }

    /// <summary>Rows per Parquet row group.</summary>
    public int ParquetRowGroupRows => _rowGroupRows;

    /// <summary>Rows written so far.</summary>
    public long Rows => _csv.Rows;

    /// <summary>Parquet row groups flushed so far (the last one is flushed by <see cref="CompleteAsync"/>).</summary>
    public int ParquetRowGroups => _parquet?.RowGroups ?? 0;

    private string CsvName => _spec.Name + ".csv";

    private string ParquetName => _spec.Name + ".parquet";

    /// <summary>Appends a row to the samples tables and to its rig stream's replay file.</summary>
    public async ValueTask WriteAsync(SampleRow row, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ct.ThrowIfCancellationRequested();
        Check(row);
        if (!_replays.TryGetValue((row.Rig, row.Stream), out var replay))
        {
            throw new ArgumentException($"row of {row.Rig}/{row.Stream} at {row.TimeNs} ns: no replay header was given for that rig stream", nameof(row));
        }
        _parquet ??= await ParquetTableFile.CreateAsync(PathOf(ParquetName), _spec, _rowGroupRows, ct);
        _csv.Write(row);
        replay.File.Write(row);
        await _parquet.WriteAsync(row, ct);
    }

    /// <summary>Finishes every file and returns them with sizes and hashes: samples CSV, samples Parquet, then the
    /// replay files by rig and stream.</summary>
    public async Task<IReadOnlyList<DatasetFile>> CompleteAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _parquet ??= await ParquetTableFile.CreateAsync(PathOf(ParquetName), _spec, _rowGroupRows, ct);
        _csv.Complete();
        await _parquet.CompleteAsync(ct);
        foreach (var (_, file) in _replays.Values) file.Complete();
        _completed = true;
        await DisposeAsync();

        var files = new List<DatasetFile>
        {
            await DescribeAsync(CsvName, "csv", CsvMediaType, _csv.Rows, null, ct),
            await DescribeAsync(ParquetName, "parquet", ParquetMediaType, _parquet.Rows, null, ct),
        };
        foreach (var (header, file) in _replays.Values) files.Add(await DescribeAsync(header.FileName, "csv", CsvMediaType, file.Rows, header, ct));
        return files;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        DisposeCsv();
        if (_parquet is not null) await _parquet.DisposeAsync();
    }

    private void DisposeCsv()
    {
        _csv?.Dispose();
        foreach (var (_, file) in _replays.Values) file.Dispose();
    }

    private async Task<DatasetFile> DescribeAsync(string name, string format, string mediaType, long rows, ReplayHeader? replay, CancellationToken ct)
    {
        var (sha, bytes) = await FileHash.ComputeAsync(PathOf(name), ct);
        return new DatasetFile(name, format, mediaType, bytes, sha, rows) { Replay = replay };
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    private void Check(in SampleRow row)
    {
        if (row.Values is null || row.Values.Length != _spec.Columns.Count - DatasetTableSpec.KeyColumnCount)
        {
            throw new ArgumentException($"row at {row.TimeNs} ns has {row.Values?.Length ?? 0} values for {_spec.Columns.Count - DatasetTableSpec.KeyColumnCount} sensor columns", nameof(row));
        }
        foreach (var value in row.Values)
        {
            if (value is { } v && !double.IsFinite(v)) throw new ArgumentException($"row at {row.TimeNs} ns holds {v}: only finite values (or null) are readings", nameof(row));
        }
    }
}
