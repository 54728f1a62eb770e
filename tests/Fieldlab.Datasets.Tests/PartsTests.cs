using System.Security.Cryptography;
using System.Text.Json;
using Fieldlab.Testing;
using Parquet;

namespace Fieldlab.Datasets.Tests;

/// <summary>The optional parts' writers: waveforms (Parquet), model outputs (CSV + Parquet), alerts (CSV) — what goes in
/// comes out, the same rows give the same bytes, and the manifest carries each file's own Table Schema and role.</summary>
public sealed class PartsTests
{
    private const long T0 = 1_795_000_000_000_000_000L;
    private static readonly DatasetColumn[] Axes = [DatasetColumn.Sensor("accel_x", "m/s2", "x"), DatasetColumn.Sensor("accel_y", "m/s2", "y"), DatasetColumn.Sensor("temp", "degC", "t")];

    private static IEnumerable<WaveformBlock> Blocks()
    {
        // Two frames of a 12.8 kHz two-axis stream, then one of a one-axis stream of another rig.
        for (int f = 0; f < 2; f++)
        {
            float[] x = [.. Enumerable.Range(0, 100).Select(i => MathF.Sin(i + f) * 3.25f)], y = [.. Enumerable.Range(0, 100).Select(i => -i * 1e-7f)];
            yield return new WaveformBlock("motor-1", "vibration", T0 + f * 7_812_500L, 12_800, 40_960 + f * 100, 100, [x, y, ReadOnlyMemory<float>.Empty]);
        }
        yield return new WaveformBlock("motor-2", "thermal", T0, 10, 7, 3, [ReadOnlyMemory<float>.Empty, ReadOnlyMemory<float>.Empty, new float[] { 20.5f, float.MaxValue, -0f }]);
    }

    private static async Task<string?[]> StringsAsync(ParquetRowGroupReader group, Parquet.Schema.DataField field, int n)
    {
        var cells = new string?[n];
        await group.ReadAsync(field, cells.AsMemory());
        return cells;
    }

    private static async Task<DatasetFile> WriteWaveformsAsync(string dir, int rowGroupRows = 64)
    {
        await using var writer = await WaveformTableWriter.CreateAsync(dir, Axes, default, rowGroupRows);
        foreach (var block in Blocks()) await writer.WriteAsync(block, default);
        return await writer.CompleteAsync(default);
    }

    [Fact]
    public async Task Waveforms_RoundTrip_OneRowPerSample_WithTimeSeqAndAxes()
    {
        using var dir = new TempDirectory("fieldlab-parts");
        var file = await WriteWaveformsAsync(dir.Path);
        Assert.Equal(203, file.Rows);
        Assert.Equal("waveforms", file.Role);

        await using var reader = await ParquetReader.CreateAsync(dir.File(WaveformTableWriter.FileName));
        Assert.Equal(["time", "rig", "stream", "seq", "accel_x", "accel_y", "temp"], reader.Schema.DataFields.Select(f => f.Name));
        var times = new List<DateTime>();
        var seqs = new List<long>();
        var rigs = new List<string>();
        var axes = Axes.Select(_ => new List<float?>()).ToArray();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            var t = new DateTime[n];
            await group.ReadAsync<DateTime>(reader.Schema.DataFields[0], t);
            times.AddRange(t);
            rigs.AddRange((await StringsAsync(group, reader.Schema.DataFields[1], n))!);
            var s = new long[n];
            await group.ReadAsync<long>(reader.Schema.DataFields[3], s);
            seqs.AddRange(s);
            for (int a = 0; a < Axes.Length; a++)
            {
                var values = new float?[n];
                await group.ReadAsync<float>(reader.Schema.DataFields[4 + a], values.AsMemory());
                axes[a].AddRange(values);
            }
        }
        var expected = Blocks().SelectMany(b => Enumerable.Range(0, b.Count).Select(i => (b, i))).ToList();
        Assert.Equal(expected.Count, times.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            var (b, i) = expected[r];
            Assert.Equal(DateTime.UnixEpoch.AddTicks(b.TimeOf(i) / 100), times[r].ToUniversalTime());
            Assert.Equal(b.Seq + i, seqs[r]);
            Assert.Equal(b.Rig, rigs[r]);
            for (int a = 0; a < Axes.Length; a++)
            {
                float? want = i < b.Axes[a].Length ? b.Axes[a].Span[i] : null;
                Assert.True(want.HasValue == axes[a][r].HasValue && (want is null || BitConverter.SingleToInt32Bits(want.Value) == BitConverter.SingleToInt32Bits(axes[a][r]!.Value)),
                    $"row {r} axis {a}: expected {want}, got {axes[a][r]}");
            }
        }
        // 12.8 kHz: 78,125 ns apart, kept to 100 ns.
        Assert.Equal(TimeSpan.FromTicks(781), times[1] - times[0]);
    }

    private static readonly OutputRow[] Outputs =
    [
        new(T0, "pump-1", "anomaly", "process", null, "alarm", 1, null),
        new(T0, "pump-1", "anomaly", "process", null, "score", 3.0000000000000004, null),
        new(T0, "pump-1", "anomaly", "process", null, "top_sensors", null, "flow,\"speed\""),
        new(T0 + 10, "pump-1", "vibration_features", "vibration", "x", "iso_zone", null, "B"),
    ];

    [Fact]
    public async Task Outputs_RoundTrip_InCsvAndParquet()
    {
        using var dir = new TempDirectory("fieldlab-parts");
        IReadOnlyList<DatasetFile> files;
        await using (var writer = await OutputsTableWriter.CreateAsync(dir.Path, default, rowGroupRows: 3))
        {
            foreach (var row in Outputs) await writer.WriteAsync(row, default);
            files = await writer.CompleteAsync(default);
        }
        Assert.Equal(["outputs.csv", "outputs.parquet"], files.Select(f => f.Name));
        Assert.All(files, f => Assert.Equal(Outputs.Length, f.Rows));
        var csv = TestData.ParseCsv(await File.ReadAllTextAsync(dir.File("outputs.csv")));
        Assert.Equal(["time", "rig", "model", "stream", "axis", "output", "value", "text"], csv[0]);
        for (int r = 0; r < Outputs.Length; r++)
        {
            var o = Outputs[r];
            Assert.Equal([Fieldlab.Telemetry.Wire.UtcTimestamp.Format(o.TimeNs), o.Rig, o.Model, o.Stream ?? "", o.Axis ?? "", o.Output, o.Value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "", o.Text ?? ""], csv[r + 1]);
        }
        await using var reader = await ParquetReader.CreateAsync(dir.File("outputs.parquet"));
        Assert.Equal(2, reader.RowGroupCount);
        var texts = new List<string?>();
        var values = new List<double?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            texts.AddRange(await StringsAsync(group, reader.Schema.DataFields[7], n));
            var v = new double?[n];
            await group.ReadAsync<double>(reader.Schema.DataFields[6], v.AsMemory());
            values.AddRange(v);
        }
        Assert.Equal(Outputs.Select(o => o.Text), texts);
        Assert.Equal(Outputs.Select(o => o.Value), values);
    }

    [Fact]
    public async Task Alerts_AreWrittenAsStored()
    {
        using var dir = new TempDirectory("fieldlab-parts");
        using var writer = new AlertsTableWriter(dir.Path);
        writer.Write(new AlertRow(T0, "motor-1", "bearing", "raised", "bearing", "Bearing defect, outer race (z = 14.2)", "outer_race", "x", 14.2, 5.1));
        writer.Write(new AlertRow(T0 + 1, "motor-1", "bearing", "cleared", "bearing", "", null, null, null, null));
        var file = await writer.CompleteAsync(default);
        Assert.Equal(2, file.Rows);
        var csv = TestData.ParseCsv(await File.ReadAllTextAsync(dir.File("alerts.csv")));
        Assert.Equal("time,rig,id,state,kind,summary,defect,sensors,score,limit", string.Join(',', csv[0]));
        Assert.Equal([Fieldlab.Telemetry.Wire.UtcTimestamp.Format(T0), "motor-1", "bearing", "raised", "bearing", "Bearing defect, outer race (z = 14.2)", "outer_race", "x", "14.2", "5.1"], csv[1]);
        Assert.Equal([Fieldlab.Telemetry.Wire.UtcTimestamp.Format(T0 + 1), "motor-1", "bearing", "cleared", "bearing", "", "", "", "", ""], csv[2]);
    }

    [Fact]
    public async Task SameBlocks_GiveTheSameBytes()
    {
        using var a = new TempDirectory("fieldlab-parts");
        using var b = new TempDirectory("fieldlab-parts");
        var first = await WriteWaveformsAsync(a.Path);
        var second = await WriteWaveformsAsync(b.Path);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(a.File(WaveformTableWriter.FileName)))), first.Sha256);
    }

    [Fact]
    public async Task Manifest_GivesEachPartItsOwnSchemaAndRole_AndListsTheParts()
    {
        using var dir = new TempDirectory("fieldlab-parts");
        var samples = await TestData.WriteAsync(dir.Path, TestData.Rows(3));
        var waveforms = await WriteWaveformsAsync(dir.Path);
        using (var alerts = new AlertsTableWriter(dir.Path)) await alerts.CompleteAsync(default).ContinueWith(t => samples = [.. samples, waveforms, t.Result]);
        var description = TestData.Description() with { Parts = ["waveforms", "alerts"] };
        using var manifest = JsonDocument.Parse(DataPackageManifest.Render(description, TestData.Spec, samples));
        Assert.Equal(["waveforms", "alerts"], manifest.RootElement.GetProperty("fieldlab").GetProperty("parts").EnumerateArray().Select(p => p.GetString()));
        var resources = manifest.RootElement.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!);
        var wave = resources["waveforms.parquet"];
        Assert.Equal("waveforms", wave.GetProperty("fieldlab").GetProperty("role").GetString());
        Assert.Equal(["time", "rig", "stream", "seq", "accel_x", "accel_y", "temp"], wave.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("integer", wave.GetProperty("schema").GetProperty("fields")[3].GetProperty("type").GetString());
        var alert = resources["alerts.csv"];
        Assert.Equal("alerts", alert.GetProperty("fieldlab").GetProperty("role").GetString());
        Assert.False(alert.GetProperty("schema").GetProperty("fields")[6].TryGetProperty("constraints", out _)); // defect may be empty
        Assert.Contains("`waveforms.parquet`: Raw waveform samples", DatasetReadme.Render(description, samples));
        // Without parts, the manifest has no parts key (the bytes of datasets frozen before stay as they were).
        Assert.DoesNotContain("\"parts\"", DataPackageManifest.Render(TestData.Description(), TestData.Spec, samples));
    }
}
