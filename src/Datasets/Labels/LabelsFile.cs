using Fieldlab.Datasets.Formats;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets;

/// <summary><c>labels.csv</c>: a dataset's labels, apart from its samples so that they can be published or held back
/// on their own. Columns <c>start,end,rig,source,label,severity,detail</c>; rows in (start, rig, source, label) order.</summary>
public static class LabelsFile
{
    /// <summary>The file's name.</summary>
    public const string FileName = "labels.csv";

    /// <summary>Where a version keeps hidden labels: a folder no download can name (names starting with '.' are refused).</summary>
    public const string HiddenFolder = ".hidden";

    /// <summary>The file's columns, for its Table Schema.</summary>
    public static IReadOnlyList<DatasetColumn> Columns { get; } =
    [
        new("start", DatasetColumn.DateTimeType, null, "start of the label, UTC (RFC 3339, ns)"),
        new("end", DatasetColumn.DateTimeType, null, "end of the label (empty: a moment, or still open at the end of the range)"),
        new("rig", DatasetColumn.StringType, null, "rig id"),
        new("source", DatasetColumn.StringType, null, "truth (a staged fault, as the rig recorded it), maintenance (an action recorded on the rig) or instructor (a range labelled by hand)"),
        new("label", DatasetColumn.StringType, null, "the fault kind, or what was done"),
        new("severity", DatasetColumn.NumberType, null, "the fault's severity 0–1 at its start (empty for maintenance)"),
        new("detail", DatasetColumn.StringType, null, "more: the fault's later steps, or the maintained component and notes"),
    ];

    /// <summary>Writes the labels into <paramref name="directory"/> and returns the file.</summary>
    public static async Task<DatasetFile> WriteAsync(string directory, IEnumerable<LabelRow> labels, CancellationToken ct)
    {
        var path = Path.Combine(directory, FileName);
        long rows = 0;
        await using (var writer = CsvText.Create(path))
        {
            writer.Write(string.Join(',', Columns.Select(c => c.Name)));
            writer.Write('\n');
            foreach (var l in labels.OrderBy(l => l.StartNs).ThenBy(l => l.Rig, StringComparer.Ordinal).ThenBy(l => l.Source, StringComparer.Ordinal).ThenBy(l => l.Label, StringComparer.Ordinal))
            {
                ct.ThrowIfCancellationRequested();
                if (l.Severity is { } s && !double.IsFinite(s)) throw new ArgumentException($"label {l.Label} of {l.Rig}: severity must be finite", nameof(labels));
                writer.Write(UtcTimestamp.Format(l.StartNs));
                writer.Write(',');
                if (l.EndNs is { } end) writer.Write(UtcTimestamp.Format(end));
                writer.Write(',');
                CsvText.WriteCell(writer, l.Rig);
                writer.Write(',');
                CsvText.WriteCell(writer, l.Source);
                writer.Write(',');
                CsvText.WriteCell(writer, l.Label);
                writer.Write(',');
                if (l.Severity is { } severity) writer.Write(CsvText.Number(severity));
                writer.Write(',');
                CsvText.WriteCell(writer, l.Detail ?? "");
                writer.Write('\n');
                rows++;
            }
            CsvText.FlushToDisk(writer);
        }
        var (sha, bytes) = await FileHash.ComputeAsync(path, ct);
        return new DatasetFile(FileName, "csv", SamplesTableWriter.CsvMediaType, bytes, sha, rows);
    }

    /// <summary>Reads a labels file written by <see cref="WriteAsync"/> back into rows (for scoring and for tests).</summary>
    public static async Task<IReadOnlyList<LabelRow>> ReadAsync(string path, CancellationToken ct)
    {
        using var text = new StreamReader(path, CsvText.Utf8);
        var csv = new CsvRecordReader(text);
        var header = await csv.ReadAsync(ct).ConfigureAwait(false);
        if (header is null || !header.SequenceEqual(Columns.Select(c => c.Name))) throw new FormatException($"{path}: not a labels file (header {string.Join(',', header ?? [])})");
        var rows = new List<LabelRow>();
        while (await csv.ReadAsync(ct).ConfigureAwait(false) is { } cells)
        {
            if (cells.Count != Columns.Count) throw new FormatException($"{path} line {csv.LineNumber}: {cells.Count} cells, not {Columns.Count}");
            if (!UtcTimestamp.TryParse(cells[0], out long start)) throw new FormatException($"{path} line {csv.LineNumber}: start '{cells[0]}' is not a time");
            long? end = null;
            if (cells[1].Length > 0)
            {
                if (!UtcTimestamp.TryParse(cells[1], out long e)) throw new FormatException($"{path} line {csv.LineNumber}: end '{cells[1]}' is not a time");
                end = e;
            }
            double? severity = cells[5].Length == 0 ? null : double.Parse(cells[5], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(new LabelRow(start, end, cells[2], cells[3], cells[4], severity, cells[6].Length == 0 ? null : cells[6]));
        }
        return rows;
    }
}
