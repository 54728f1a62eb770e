using System.Globalization;
using System.Text;

namespace Fieldlab.Datasets;

/// <summary>Renders <c>README.md</c>: the manifest's facts in a page a student reads first.</summary>
public static class DatasetReadme
{
    /// <summary>The README's file name.</summary>
    public const string FileName = "README.md";

    /// <summary>Markdown with <c>\n</c> line ends; the same input always renders the same text.</summary>
    public static string Render(DatasetDescription description, IReadOnlyList<DatasetFile> files)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(files);
        var d = description;
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        Line($"# {d.Title}");
        Line();
        Line(Inv($"Dataset `{d.Id}`, version {d.Version}: frozen by {d.FrozenBy} at {DataPackageManifest.Time(d.FrozenAt)}. A frozen version never changes; `{DataPackageManifest.FileName}` describes every file and its SHA-256."));
        Line();
        Line($"- Site: `{d.Site}`");
        Line($"- Time range (UTC): {DataPackageManifest.Time(d.From)} to {DataPackageManifest.Time(d.To)}");
        Line($"- Licence: {d.License}");
        Line(d.LabelsHidden
            ? "- Labels: hidden. The faults and labels of this range are held back (for an assignment, which scores predictions against them); no file here contains them."
            : "- Labels: published in `labels.csv`, apart from the samples.");
        Line();
        Line("## Rigs and sensors");
        Line();
        foreach (var rig in d.Rigs)
        {
            Line($"### {rig.Rig} ({rig.Kind})");
            Line();
            if (!string.IsNullOrWhiteSpace(rig.Description))
            {
                Line(rig.Description.Trim());
                Line();
            }
            foreach (var stream in rig.Streams)
            {
                Line(Inv($"Stream `{stream.Id}`, sampled at {stream.RateHz:R} Hz:"));
                Line();
                Line("| sensor | unit | description |");
                Line("| --- | --- | --- |");
                foreach (var sensor in stream.Sensors) Line($"| `{sensor.Name}` | {Cell(sensor.Unit ?? "")} | {Cell(sensor.Description ?? "")} |");
                Line();
            }
        }
        Line("## Files");
        Line();
        Line("| file | format | rows | bytes | SHA-256 |");
        Line("| --- | --- | ---: | ---: | --- |");
        foreach (var f in files) Line(Inv($"| `{f.Name}` | {(f.Replay is null ? f.Format : "replay (Fieldlab export CSV)")} | {f.Rows} | {f.Bytes} | `{f.Sha256}` |"));
        Line();
        Line("## Reading the files");
        Line();
        Line("- `samples.csv`: one row per sample of a rig stream: `time` (RFC 3339, UTC), `rig`, `stream`, then one column per sensor. '.' is the decimal point; an empty cell is a missing value (that sensor is not part of the row's stream, or had no reading). UTF-8 without BOM.");
        Line("- `samples.parquet`: the same rows; `time` is a UTC timestamp, a missing value is null. Opens in pandas, Polars, DuckDB, R (arrow).");
        Line("- `replay-<rig>-<stream>.csv`: one rig stream in the Fieldlab export format; the gateway's replay plays it back as a rig.");
        if (!d.LabelsHidden) Line("- `labels.csv`: `start,end,rig,source,label,severity,detail`, one row per staged fault (`truth`), maintenance action (`maintenance`) or hand-made label (`instructor`); an empty `end` is a moment, or a fault still active at the end of the range.");
        // The optional parts (waveforms, model outputs, alerts) describe themselves.
        foreach (var f in files.Where(f => f.Role is not null && f.Description is not null)) Line($"- `{f.Name}`: {f.Description}");
        return md.ToString();
    }

    // A table cell may not break the table.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
