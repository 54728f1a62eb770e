using System.Globalization;
using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>Writes a freeze's optional parts into its folder, each from InfluxDB in one streaming pass inside every
/// rig's data windows: waveforms.parquet (each waveform stream whole, by rig and stream), outputs.csv and
/// outputs.parquet (by rig and model), alerts.csv (by rig).</summary>
internal static class DatasetPartsWriter
{
    /// <summary>Why the parts cannot be frozen from these rigs (for field <c>parts</c>), or null.</summary>
    public static string? Refusal(IReadOnlyList<string> parts, IEnumerable<RigBirth> births) =>
        parts.Contains(DatasetParts.Waveforms) && !births.Any(b => b.Streams.Any(s => s.IsWaveform && s.Sensors.Count > 0))
            ? "no rig of the selection has a waveform stream" : null;

    /// <summary>The files written, in canonical part order.</summary>
    public static async Task<IReadOnlyList<DatasetFile>> WriteAsync(RigDataReader reader, IReadOnlyList<string> parts,
        IReadOnlyList<(RigAddress Rig, RigVisibility Visibility, RigBirth Birth)> sources, DateTimeOffset from, DateTimeOffset to, string folder, CancellationToken ct)
    {
        var files = new List<DatasetFile>();
        var rigs = sources.OrderBy(s => s.Rig.Rig, StringComparer.Ordinal).ToList();
        if (parts.Contains(DatasetParts.Waveforms)) files.Add(await WaveformsAsync(reader, rigs, from, to, folder, ct));
        if (parts.Contains(DatasetParts.Outputs))
        {
            await using var outputs = await OutputsTableWriter.CreateAsync(folder, ct);
            foreach (var (rig, visibility, _) in rigs)
            {
                await foreach (var row in new OutputSource(reader, rig, visibility.Data).ReadAsync(from, to, ct)) await outputs.WriteAsync(row, ct);
            }
            files.AddRange(await outputs.CompleteAsync(ct));
        }
        if (parts.Contains(DatasetParts.Alerts))
        {
            using var alerts = new AlertsTableWriter(folder);
            foreach (var (rig, visibility, _) in rigs)
            {
                await foreach (var row in new AlertSource(reader, rig, visibility.Data).ReadAsync(from, to, ct)) alerts.Write(row);
            }
            files.Add(await alerts.CompleteAsync(ct));
        }
        return files;
    }

    private static async Task<DatasetFile> WaveformsAsync(RigDataReader reader, List<(RigAddress Rig, RigVisibility Visibility, RigBirth Birth)> rigs,
        DateTimeOffset from, DateTimeOffset to, string folder, CancellationToken ct)
    {
        var all = rigs.SelectMany(s => s.Birth.Streams.Where(x => x.IsWaveform).OrderBy(x => x.Id, StringComparer.Ordinal)
            .SelectMany(x => x.Sensors.Select(axis => (s.Rig.Rig, Stream: x, Axis: axis)))).ToList();
        // As in the samples table: an axis name two rigs use with different units becomes {rig}.{axis}.
        var clashing = all.GroupBy(a => a.Axis.Id).Where(g => g.Select(a => a.Axis.Unit).Distinct().Count() > 1).Select(g => g.Key).ToHashSet();
        string Name((string Rig, StreamSpec Stream, SensorSpec Axis) a) => clashing.Contains(a.Axis.Id) ? $"{a.Rig}.{a.Axis.Id}" : a.Axis.Id;
        var columns = new List<DatasetColumn>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in all)
        {
            var name = Name(a);
            if (index.ContainsKey(name)) continue;
            index[name] = columns.Count;
            var what = string.IsNullOrWhiteSpace(a.Axis.Description) ? a.Axis.Id : a.Axis.Description.Trim();
            columns.Add(DatasetColumn.Sensor(name, a.Axis.Unit, string.Create(CultureInfo.InvariantCulture, $"{what}; waveform stream {a.Stream.Id} of {a.Rig}, {a.Stream.RateHz:R} Hz")));
        }
        await using var writer = await WaveformTableWriter.CreateAsync(folder, columns, ct);
        foreach (var (rig, visibility, birth) in rigs)
        {
            foreach (var stream in birth.Streams.Where(x => x.IsWaveform).OrderBy(x => x.Id, StringComparer.Ordinal))
            {
                var columnOf = stream.Sensors.ToDictionary(axis => axis.Id, axis => index[Name((rig.Rig, stream, axis))], StringComparer.Ordinal);
                await foreach (var block in new WaveformSource(reader, rig, visibility.Data, stream, columnOf, columns.Count).ReadAsync(from, to, ct))
                    await writer.WriteAsync(block, ct);
            }
        }
        return await writer.CompleteAsync(ct);
    }
}
