using Fieldlab.Datasets.Formats;
using Fieldlab.Telemetry.Wire;
using Parquet;
using Parquet.Schema;

namespace Fieldlab.Datasets;

/// <summary>Writes <c>outputs.csv</c> and <c>outputs.parquet</c>: the model outputs ingest stored, in long format — one
/// row per stored value, <c>time,rig,model,stream,axis,output,value,text</c> — so that every model, and fields that
/// only some rigs have (<c>share_{sensor}</c>, a pump's energy KPIs), fit one fixed table.</summary>
/// <remarks>Long rather than wide: a wide table's columns would be the union of every field ever stored, which changes
/// when another rig writes a new one, and the same rows must always give the same bytes. Memory is one Parquet row
/// group (<see cref="RowGroupRows"/> rows); the CSV is written as rows arrive.</remarks>
public sealed class OutputsTableWriter : IAsyncDisposable
{
    /// <summary>The stem of both file names.</summary>
    public const string Name = "outputs";

    /// <summary>Their role in the manifest.</summary>
    public const string Role = "outputs";

    /// <summary>Rows per row group.</summary>
    public const int DefaultRowGroupRows = 50_000;

    /// <summary>The columns, for the Table Schema.</summary>
    public static IReadOnlyList<DatasetColumn> Columns { get; } =
    [
        new("time", DatasetColumn.DateTimeType, null, "Time of the model's point (the row, window or period it is about), UTC"),
        DatasetColumn.Rig,
        new("model", DatasetColumn.StringType, null, "The measurement the model writes: anomaly, bearing_health, vibration_features or energy (docs/telemetry.md)"),
        new("stream", DatasetColumn.StringType, null, "The stream the model read (empty if none)") { Required = false },
        new("axis", DatasetColumn.StringType, null, "The axis: vibration_features per axis, bearing_health the axis that drove the verdict (empty if none)") { Required = false },
        new("output", DatasetColumn.StringType, null, "The output's field name as stored (score, limit, alarm, share_<sensor>, rms, energy_kw …)"),
        DatasetColumn.Sensor("value", null, "A number as stored; a boolean as 1 (true) or 0 (false); empty for a text"),
        new("text", DatasetColumn.StringType, null, "A text output as stored (top_sensors, iso_zone, defect …); empty for a number") { Required = false },
    ];

    private readonly string _directory;
    private readonly StreamWriter _csv;
    private readonly FileStream _file;
    private readonly ParquetWriter _parquet;
    private readonly DataField[] _fields;
    private readonly DateTime[] _times;
    private readonly string?[][] _strings; // rig, model, stream, axis, output, text
    private readonly double?[] _values;
    private int _buffered;
    private int _rowGroups;
    private bool _closed;

    private OutputsTableWriter(string directory, StreamWriter csv, FileStream file, ParquetWriter parquet, DataField[] fields, int rowGroupRows)
    {
        _directory = directory;
        _csv = csv;
        _file = file;
        _parquet = parquet;
        _fields = fields;
        RowGroupRows = rowGroupRows;
        _times = new DateTime[rowGroupRows];
        _strings = Enumerable.Range(0, 6).Select(_ => new string?[rowGroupRows]).ToArray();
        _values = new double?[rowGroupRows];
    }

    /// <summary>Rows per row group of the Parquet file.</summary>
    public int RowGroupRows { get; }

    /// <summary>Rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Creates both files (neither may exist).</summary>
    public static async Task<OutputsTableWriter> CreateAsync(string directory, CancellationToken ct, int rowGroupRows = DefaultRowGroupRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        DataField[] fields =
        [
            new DateTimeDataField("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Nanos, isNullable: false),
            new DataField<string>("rig", false), new DataField<string>("model", false), new DataField<string>("stream", true),
            new DataField<string>("axis", true), new DataField<string>("output", false), new DataField<double?>("value"), new DataField<string>("text", true),
        ];
        var csv = CsvText.Create(Path.Combine(directory, Name + ".csv"));
        FileStream? file = null;
        try
        {
            csv.Write(string.Join(',', Columns.Select(c => c.Name)));
            csv.Write('\n');
            file = new FileStream(Path.Combine(directory, Name + ".parquet"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CsvText.BufferSize);
            var parquet = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, new ParquetOptions(), append: false, ct);
            return new OutputsTableWriter(directory, csv, file, parquet, fields, rowGroupRows);
        }
        catch
        {
            await csv.DisposeAsync();
            if (file is not null) await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Appends a row to both files.</summary>
    public async ValueTask WriteAsync(OutputRow row, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ArgumentNullException.ThrowIfNull(row);
        if (row.Value is { } v && !double.IsFinite(v)) throw new ArgumentException($"output {row.Model}.{row.Output} of {row.Rig} at {row.TimeNs} ns holds {v}", nameof(row));
        _csv.Write(UtcTimestamp.Format(row.TimeNs));
        foreach (var cell in new[] { row.Rig, row.Model, row.Stream, row.Axis, row.Output })
        {
            _csv.Write(',');
            CsvText.WriteCell(_csv, cell ?? "");
        }
        _csv.Write(',');
        if (row.Value is { } value) _csv.Write(CsvText.Number(value));
        _csv.Write(',');
        CsvText.WriteCell(_csv, row.Text ?? "");
        _csv.Write('\n');

        _times[_buffered] = ParquetTableFile.ToDateTime(row.TimeNs);
        _strings[0][_buffered] = row.Rig;
        _strings[1][_buffered] = row.Model;
        _strings[2][_buffered] = row.Stream;
        _strings[3][_buffered] = row.Axis;
        _strings[4][_buffered] = row.Output;
        _strings[5][_buffered] = row.Text;
        _values[_buffered] = row.Value;
        _buffered++;
        Rows++;
        if (_buffered == RowGroupRows) await FlushAsync(ct);
    }

    /// <summary>Finishes both files and describes them: CSV, then Parquet.</summary>
    public async Task<IReadOnlyList<DatasetFile>> CompleteAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        CsvText.FlushToDisk(_csv);
        if (_buffered > 0 || _rowGroups == 0) await FlushAsync(ct);
        _closed = true;
        await _parquet.DisposeAsync();
        await _file.FlushAsync(ct);
        _file.Flush(flushToDisk: true);
        await DisposeFilesAsync();
        const string How = "Model outputs as ingest stored them, one row per stored value: `time,rig,model,stream,axis,output,value,text` (a number or boolean in `value` as 1/0, a text in `text`). "
            + "pandas: `df.pivot_table(index=[\"time\", \"rig\", \"stream\"], columns=\"output\", values=\"value\")` for one model.";
        var csv = await FileHash.DescribeAsync(_directory, Name + ".csv", "csv", SamplesTableWriter.CsvMediaType, Rows, ct);
        var parquet = await FileHash.DescribeAsync(_directory, Name + ".parquet", "parquet", SamplesTableWriter.ParquetMediaType, Rows, ct);
        return
        [
            csv with { Role = Role, Columns = Columns, Description = How },
            parquet with { Role = Role, Columns = Columns, Description = "The same rows as Parquet: `time` a UTC timestamp (100 ns precision), empty cells null." },
        ];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            await _parquet.DisposeAsync();
        }
        await DisposeFilesAsync();
    }

    private async Task DisposeFilesAsync()
    {
        await _csv.DisposeAsync();
        await _file.DisposeAsync();
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        int n = _buffered;
        using (var group = _parquet.CreateRowGroup())
        {
            await group.WriteAsync<DateTime>(_fields[0], _times.AsMemory(0, n), null, null, ct);
            for (int s = 0; s < 5; s++) await group.WriteAsync(_fields[1 + s], new ArraySegment<string>(_strings[s]!, 0, n), null);
            await group.WriteAsync<double>(_fields[6], _values.AsMemory(0, n), null, null, ct);
            await group.WriteAsync(_fields[7], new ArraySegment<string>(_strings[5]!, 0, n), null);
            group.CompleteValidate();
        }
        _buffered = 0;
        _rowGroups++;
    }
}
