using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets;

/// <summary>Renders <c>datapackage.json</c>: a Frictionless Data Package v2 with one tabular data resource per file.</summary>
/// <remarks>Keys are written in a fixed order by hand (no serializer, no dictionary iteration) so the same dataset
/// always renders to the same bytes. Fieldlab facts with no standard property (rig kinds, sampling rates, the
/// time range, row counts) sit in <c>fieldlab</c> objects, as the standard allows custom properties.</remarks>
public static class DataPackageManifest
{
    /// <summary>Profile of a Data Package v2.</summary>
    public const string PackageProfile = "https://datapackage.org/profiles/2.0/datapackage.json";

    /// <summary>Profile of a Data Resource v2.</summary>
    public const string ResourceProfile = "https://datapackage.org/profiles/2.0/dataresource.json";

    /// <summary>Profile of a Table Schema v2.</summary>
    public const string TableSchemaProfile = "https://datapackage.org/profiles/2.0/tableschema.json";

    /// <summary>Profile of a Table Dialect v2.</summary>
    public const string TableDialectProfile = "https://datapackage.org/profiles/2.0/tabledialect.json";

    /// <summary>The manifest's file name.</summary>
    public const string FileName = "datapackage.json";

    /// <summary>The manifest as indented JSON with <c>\n</c> line ends and a final newline.</summary>
    public static string Render(DatasetDescription description, DatasetTableSpec samples, IReadOnlyList<DatasetFile> files)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(files);
        DatasetIds.Validate(description.Id, description.Version);
        if (files.Count == 0) throw new ArgumentException("a data package needs at least one file", nameof(files));

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            // Units such as "°C" or "m³/h" stay readable; the file is never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", PackageProfile);
            json.WriteString("name", description.Id);
            json.WriteString("title", description.Title);
            json.WriteString("description", Summary(description));
            json.WriteString("version", $"{description.Version.ToString(CultureInfo.InvariantCulture)}.0.0");
            json.WriteString("created", Time(description.FrozenAt));
            json.WriteStartArray("licenses");
            json.WriteStartObject();
            json.WriteString("name", description.License);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("contributors");
            json.WriteStartObject();
            json.WriteString("title", description.FrozenBy);
            json.WriteStartArray("roles");
            json.WriteStringValue("creator");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("keywords");
            foreach (var keyword in new[] { "fieldlab", description.Site }.Concat(description.Rigs.Select(r => r.Kind)).Distinct(StringComparer.Ordinal))
            {
                json.WriteStringValue(keyword);
            }
            json.WriteEndArray();
            WriteFieldlab(json, description);
            json.WriteStartArray("resources");
            foreach (var file in files) WriteResource(json, description, samples, file);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The resource name of a file: its name in lower case, with anything outside <c>a-z 0-9 - _ .</c> as <c>-</c>.</summary>
    public static string ResourceName(string fileName)
    {
        var name = new StringBuilder(fileName.Length);
        foreach (var c in fileName.ToLowerInvariant()) name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' ? c : '-');
        return name.ToString();
    }

    /// <summary>A time as the manifest writes it: RFC 3339 UTC, as the data files do.</summary>
    internal static string Time(DateTimeOffset time) => UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(time));

    private static string Summary(DatasetDescription d) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Samples of {string.Join(", ", d.Rigs.Select(r => $"{r.Rig} ({r.Kind})"))} at site {d.Site} from {Time(d.From)} to {Time(d.To)}, frozen by {d.FrozenBy} at {Time(d.FrozenAt)}.");

    private static void WriteFieldlab(Utf8JsonWriter json, DatasetDescription d)
    {
        json.WriteStartObject("fieldlab");
        json.WriteNumber("version", d.Version);
        json.WriteString("site", d.Site);
        json.WriteString("from", Time(d.From));
        json.WriteString("to", Time(d.To));
        json.WriteString("frozenBy", d.FrozenBy);
        json.WriteString("frozenAt", Time(d.FrozenAt));
        json.WriteString("labels", d.LabelsHidden ? "hidden" : "published");
        // Only when asked for: a manifest without parts keeps the bytes it always had.
        if (d.Parts.Count > 0)
        {
            json.WriteStartArray("parts");
            foreach (var part in d.Parts) json.WriteStringValue(part);
            json.WriteEndArray();
        }
        json.WriteStartArray("rigs");
        foreach (var rig in d.Rigs)
        {
            json.WriteStartObject();
            json.WriteString("rig", rig.Rig);
            json.WriteString("kind", rig.Kind);
            if (rig.Description is not null) json.WriteString("description", rig.Description);
            json.WriteStartArray("streams");
            foreach (var stream in rig.Streams)
            {
                json.WriteStartObject();
                json.WriteString("id", stream.Id);
                json.WriteNumber("rateHz", stream.RateHz);
                json.WriteStartArray("sensors");
                foreach (var sensor in stream.Sensors)
                {
                    json.WriteStartObject();
                    json.WriteString("name", sensor.Name);
                    if (sensor.Unit is not null) json.WriteString("unit", sensor.Unit);
                    json.WriteString("description", sensor.DescriptionWithUnit());
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResource(Utf8JsonWriter json, DatasetDescription d, DatasetTableSpec samples, DatasetFile file)
    {
        json.WriteStartObject();
        json.WriteString("name", ResourceName(file.Name));
        json.WriteString("$schema", ResourceProfile);
        json.WriteString("type", "table");
        json.WriteString("path", file.Name);
        json.WriteString("format", file.Format);
        json.WriteString("mediatype", file.MediaType.Split(';')[0].Trim());
        if (file.Format == "csv") json.WriteString("encoding", "utf-8");
        json.WriteNumber("bytes", file.Bytes);
        json.WriteString("hash", $"sha256:{file.Sha256}");
        json.WriteString("description", ResourceDescription(file));
        if (file.Format == "csv") WriteDialect(json, commented: file.Replay is not null);
        json.WriteStartObject("schema");
        json.WriteString("$schema", TableSchemaProfile);
        json.WriteStartArray("fields");
        foreach (var column in ColumnsOf(samples, file)) WriteField(json, column);
        json.WriteEndArray();
        json.WriteStartArray("missingValues");
        json.WriteStringValue("");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("fieldlab");
        json.WriteNumber("rows", file.Rows);
        if (file.Replay is { } replay)
        {
            json.WriteString("role", "replay");
            json.WriteString("rig", replay.Rig);
            json.WriteString("stream", replay.Stream);
            json.WriteString("kind", replay.Kind);
            var rate = d.Rigs.FirstOrDefault(r => r.Rig == replay.Rig)?.Streams.FirstOrDefault(s => s.Id == replay.Stream)?.RateHz;
            if (rate is { } hz) json.WriteNumber("rateHz", hz);
        }
        else
        {
            json.WriteString("role", file.Role ?? (file.Name == LabelsFile.FileName ? "labels" : "samples"));
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string ResourceDescription(DatasetFile file) => file.Description ?? (file.Name == LabelsFile.FileName
        ? "Labels, kept apart from the samples: staged faults as the rigs recorded them (truth), maintenance actions and labels an instructor made by hand (instructor)."
        : file.Replay is { } r
        ? $"Rig {r.Rig}, stream {r.Stream} in the Fieldlab export format that the gateway's replay reads (comment lines start with '#')."
        : file.Format == "parquet"
            ? "All samples as Parquet: time is a UTC timestamp (ns unit, 100 ns precision), a missing value is null."
            : "All samples as CSV for spreadsheets: '.' as decimal point, an empty cell is a missing value.");

    private static void WriteDialect(Utf8JsonWriter json, bool commented)
    {
        json.WriteStartObject("dialect");
        json.WriteString("$schema", TableDialectProfile);
        json.WriteBoolean("header", true);
        if (commented) json.WriteString("commentChar", "#");
        json.WriteString("delimiter", ",");
        json.WriteString("lineTerminator", "\n");
        json.WriteString("quoteChar", "\"");
        json.WriteBoolean("doubleQuote", true);
        json.WriteEndObject();
    }

    private static IEnumerable<DatasetColumn> ColumnsOf(DatasetTableSpec samples, DatasetFile file)
    {
        if (file.Columns is { } own) return own;
        if (file.Name == LabelsFile.FileName) return LabelsFile.Columns;
        if (file.Replay is not { } replay) return samples.Columns;
        var byName = samples.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        // A replay file has no rig and stream columns: the comment line says which they are.
        // Its sensors carry their own ids, also where the table names the column {rig}.{sensor} (ReplayHeader.Columns).
        return new[] { samples.Columns[0] }.Concat(replay.Sensors.Select((s, i) =>
        {
            var column = byName.TryGetValue(replay.Columns?[i] ?? s, out var c) ? c with { Name = s } : DatasetColumn.Sensor(s, null, null);
            return string.IsNullOrEmpty(replay.Units[i]) ? column : column with { Unit = replay.Units[i] };
        }));
    }

    private static void WriteField(Utf8JsonWriter json, DatasetColumn column)
    {
        json.WriteStartObject();
        json.WriteString("name", column.Name);
        json.WriteString("type", column.Type);
        if (column.Type == DatasetColumn.DateTimeType) json.WriteString("format", "default");
        json.WriteString("description", column.DescriptionWithUnit());
        if (column.Unit is not null) json.WriteString("unit", column.Unit);
        if (column.Type != DatasetColumn.NumberType && column.Required)
        {
            json.WriteStartObject("constraints");
            json.WriteBoolean("required", true);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
