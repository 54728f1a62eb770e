using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Formats;

/// <summary>The samples table as CSV for spreadsheets: a header row, RFC 4180 quoting, <c>.</c> as decimal point,
/// UTF-8 without BOM, <c>\n</c> line ends, times in RFC 3339 UTC, an empty cell for a missing value.</summary>
internal sealed class CsvTableFile : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Creates the file and writes the header.</summary>
    public CsvTableFile(string path, DatasetTableSpec spec)
    {
        _writer = CsvText.Create(path);
        for (int i = 0; i < spec.Columns.Count; i++)
        {
            if (i > 0) _writer.Write(',');
            CsvText.WriteCell(_writer, spec.Columns[i].Name);
        }
        _writer.Write('\n');
    }

    /// <summary>Data rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Appends a row.</summary>
    public void Write(in SampleRow row)
    {
        _writer.Write(UtcTimestamp.Format(row.TimeNs));
        _writer.Write(',');
        CsvText.WriteCell(_writer, row.Rig);
        _writer.Write(',');
        CsvText.WriteCell(_writer, row.Stream);
        foreach (var value in row.Values)
        {
            _writer.Write(',');
            if (value is { } v) _writer.Write(CsvText.Number(v));
        }
        _writer.Write('\n');
        Rows++;
    }

    /// <summary>Flushes everything to disk.</summary>
    public void Complete() => CsvText.FlushToDisk(_writer);

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
