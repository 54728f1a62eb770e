using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Export;

/// <summary>The export bundle a company takes home when its pilot ends: a ZIP with one CSV per rig and measurement —
/// every point of the pilot's rigs inside the pilot's window — and a <c>manifest.json</c> naming the pilot, the window,
/// and each file with its row count and SHA-256. Read slice by slice, so that memory stays bounded.</summary>
public sealed class PilotBundle(RigDataReader reader)
{
    /// <summary>The measurements a pilot's data lives in (raw waveform frames are kept one hour only and not included).</summary>
    public static readonly Measurement[] Measurements =
        [FieldlabSchema.Samples, FieldlabSchema.WaveformFeatures, FieldlabSchema.VibrationFeatures, FieldlabSchema.BearingHealth, FieldlabSchema.Anomaly,
         FieldlabSchema.Energy, FieldlabSchema.Alerts, FieldlabSchema.FaultTruth, FieldlabSchema.GatewayHealth];

    private const int SliceLimit = 100_000;

    /// <summary>Writes the bundle of <paramref name="pilot"/> (window cut at <paramref name="now"/>) to <paramref name="output"/>.</summary>
    public async Task WriteAsync(Stream output, Pilot pilot, DateTime now, CancellationToken cancellationToken)
    {
        var end = pilot.End is { } e && e < now ? e : now;
        var window = WindowSet.Of([new TimeWindow(pilot.Start, end)]);
        var files = new List<object>();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var rig in pilot.Rigs.OrderBy(r => r.SiteId).ThenBy(r => r.RigId))
            {
                var address = new RigAddress(rig.SiteId, rig.RigId);
                foreach (var measurement in Measurements)
                {
                    var path = $"{rig.SiteId}-{rig.RigId}/{measurement.Name}.csv";
                    var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                    long rows;
                    byte[] hash;
                    await using (var stream = entry.Open())
                    using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                    {
                        var csv = new CsvSink(stream, sha);
                        rows = await CopyAsync(address, window, measurement, pilot.Start, end, csv, cancellationToken);
                        await csv.FlushAsync(cancellationToken);
                        hash = sha.GetHashAndReset();
                    }
                    files.Add(new { path, rows, sha256 = Convert.ToHexStringLower(hash) });
                }
            }
            var manifest = zip.CreateEntry("manifest.json");
            await using var m = manifest.Open();
            await JsonSerializer.SerializeAsync(m, new
            {
                pilot = pilot.Id,
                name = pilot.Name,
                organisation = pilot.OrganisationId,
                window = new { from = pilot.Start, to = end },
                generated_at = now,
                rigs = pilot.Rigs.Select(r => $"{r.SiteId}/{r.RigId}"),
                format = "CSV with a header row; time in RFC 3339 UTC (nanoseconds); tags and fields as InfluxDB stores them (docs/telemetry.md, InfluxDB schema)",
                files,
            }, new JsonSerializerOptions { WriteIndented = true }, cancellationToken);
        }
    }

    private async Task<long> CopyAsync(RigAddress rig, WindowSet window, Measurement measurement, DateTime from, DateTime to, CsvSink csv, CancellationToken cancellationToken)
    {
        long total = 0;
        for (var sliceStart = from; sliceStart < to; sliceStart = sliceStart.AddHours(1))
        {
            var sliceEnd = sliceStart.AddHours(1) < to ? sliceStart.AddHours(1) : to;
            total += await CopySliceAsync(rig, window, measurement, sliceStart, sliceEnd, csv, cancellationToken);
        }
        return total;
    }

    private async Task<long> CopySliceAsync(RigAddress rig, WindowSet window, Measurement measurement, DateTime from, DateTime to, CsvSink csv, CancellationToken cancellationToken)
    {
        var rows = await reader.ReadAsync(rig, window, new RigSelect(measurement, "*", Limit: SliceLimit + 1), new DateTimeOffset(from), new DateTimeOffset(to), cancellationToken);
        if (rows.Rows.Count > SliceLimit && to - from > TimeSpan.FromSeconds(1))
        {
            // Too dense for one slice: split it in six.
            long total = 0;
            var step = (to - from) / 6;
            for (int i = 0; i < 6; i++) total += await CopySliceAsync(rig, window, measurement, from + step * i, i == 5 ? to : from + step * (i + 1), csv, cancellationToken);
            return total;
        }
        if (rows.Rows.Count == 0) return 0;
        csv.Header(rows.Columns);
        int time = rows.ColumnIndex("time");
        foreach (var row in rows.Rows)
        {
            var cells = new string[row.Length];
            for (int c = 0; c < row.Length; c++)
            {
                cells[c] = c == time ? UtcTimestamp.Format(row[c].GetInt64()) : row[c].ValueKind switch
                {
                    JsonValueKind.Number => row[c].GetDouble().ToString("R", CultureInfo.InvariantCulture),
                    JsonValueKind.String => row[c].GetString() ?? "",
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => "",
                };
            }
            csv.Row(cells);
        }
        return rows.Rows.Count;
    }

    /// <summary>Writes CSV lines to a stream and a hash at once; the header is written once (a later slice's columns are
    /// mapped onto it by name).</summary>
    private sealed class CsvSink(Stream stream, IncrementalHash hash)
    {
        private readonly StringBuilder _buffer = new();
        private List<string>? _header;
        private int[] _map = [];

        public void Header(IReadOnlyList<string> columns)
        {
            if (_header is null)
            {
                _header = [.. columns];
                Line(_header);
            }
            foreach (var c in columns.Where(c => !_header.Contains(c))) _header.Add(c); // new columns go at the end (rare: a field first seen later)
            _map = [.. columns.Select(c => _header.IndexOf(c))];
        }

        public void Row(string[] cells)
        {
            var line = new string[_header!.Count];
            for (int i = 0; i < cells.Length; i++) line[_map[i]] = cells[i];
            Line(line.Select(x => x ?? ""));
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            var bytes = Encoding.UTF8.GetBytes(_buffer.ToString());
            _buffer.Clear();
            hash.AppendData(bytes);
            await stream.WriteAsync(bytes, cancellationToken);
        }

        // Mid-copy flush of a full buffer: the ZIP entry stream is written synchronously (it compresses in memory).
        private void Flush()
        {
            var bytes = Encoding.UTF8.GetBytes(_buffer.ToString());
            _buffer.Clear();
            hash.AppendData(bytes);
            stream.Write(bytes);
        }

        private void Line(IEnumerable<string> cells)
        {
            _buffer.Append(string.Join(',', cells.Select(Quote))).Append('\n');
            if (_buffer.Length > 1 << 20) Flush();
        }

        private static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
