using System.Text;
using Fieldlab.Gateway.Replay;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Parquet;
using Parquet.Schema;

namespace Fieldlab.Datasets.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Csv_reads_back_as_exactly_the_rows_written()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        var rows = TestData.Rows();
        var files = await TestData.WriteAsync(dir.Path, rows);

        var bytes = File.ReadAllBytes(dir.File("samples.csv"));
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "no BOM");
        Assert.DoesNotContain((byte)'\r', bytes);
        var records = TestData.ParseCsv(new UTF8Encoding(false, true).GetString(bytes));
        Assert.Equal(["time", "rig", "stream", "flow", "pressure", "vib_rms"], records[0]);
        Assert.Equal(rows.Count, records.Count - 1);
        Assert.Equal(rows.Count, files.Single(f => f.Name == "samples.csv").Rows);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = records[i + 1];
            Assert.Equal(6, r.Length);
            Assert.True(UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(r[0]), out long t));
            Assert.Equal(rows[i].TimeNs, t);
            Assert.Equal(rows[i].Rig, r[1]);
            Assert.Equal(rows[i].Stream, r[2]);
            TestData.SameValues(rows[i].Values, r[3..].Select(TestData.ParseCell).ToArray(), $"csv row {i}");
        }
    }

    [Fact]
    public async Task Parquet_reads_back_as_exactly_the_rows_written_across_row_groups()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        // Parquet.Net stores times as .NET ticks: 100 ns is the finest, so these rows have no sub-100 ns part.
        var rows = TestData.Rows(100, subMicro: false);
        var files = await TestData.WriteAsync(dir.Path, rows, rowGroupRows: 64);

        var read = await ReadParquetAsync(dir.File("samples.parquet"));
        Assert.Equal(rows.Count, read.Count);
        Assert.Equal(rows.Count, files.Single(f => f.Name == "samples.parquet").Rows);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].TimeNs, read[i].TimeNs);
            Assert.Equal(rows[i].Rig, read[i].Rig);
            Assert.Equal(rows[i].Stream, read[i].Stream);
            TestData.SameValues(rows[i].Values, read[i].Values, $"parquet row {i}");
        }
    }

    [Fact]
    public async Task Parquet_time_column_is_a_utc_timestamp()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        await TestData.WriteAsync(dir.Path, TestData.Rows(3));
        await using var reader = await ParquetReader.CreateAsync(dir.File("samples.parquet"));
        var time = Assert.IsType<DateTimeDataField>(reader.Schema.DataFields[0]);
        Assert.Equal("time", time.Name);
        Assert.True(time.IsAdjustedToUTC);
        Assert.Equal(["time", "rig", "stream", "flow", "pressure", "vib_rms"], reader.Schema.DataFields.Select(f => f.Name));
    }

    [Fact]
    public async Task Replay_files_are_read_by_the_gateways_recording_reader_with_the_right_sensors_times_and_values()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        var rows = TestData.Rows();
        var files = await TestData.WriteAsync(dir.Path, rows);

        foreach (var ((rig, stream), header) in TestData.Replay)
        {
            var path = dir.File($"replay-{rig}-{stream}.csv");
            var lines = File.ReadAllLines(path);
            Assert.Equal($"# fieldlab export v1 site=lab rig={rig} stream={stream} kind=pump", lines[0]);

            using var reader = RecordingReader.Open(path, "auto");
            Assert.Equal("fieldlab", reader.Format.Name);
            Assert.Equal(header.Sensors, reader.Format.SensorIds);
            Assert.Equal(["", .. header.Units], reader.Units);
            var spec = TestData.Spec.Sensors.Select(c => c.Name).ToList();
            var expected = rows.Where(r => r.Rig == rig && r.Stream == stream).ToList();
            Assert.Equal(expected.Count, files.Single(f => f.Name == $"replay-{rig}-{stream}.csv").Rows);
            int n = 0;
            while (reader.TryRead(out var row, out var error))
            {
                Assert.Null(error);
                var want = expected[n];
                Assert.Equal(want.TimeNs, row.TimeNs);
                var wantValues = header.Sensors.Select(s => want.Values[spec.IndexOf(s)]).ToArray();
                TestData.SameValues(wantValues, row.Values.Select(v => double.IsNaN(v) ? (double?)null : v).ToArray(), $"{rig}/{stream} row {n}");
                n++;
            }
            Assert.Equal(expected.Count, n);
        }
    }

    [Fact]
    public async Task A_replay_file_names_its_sensors_by_id_where_the_table_names_their_columns_by_rig()
    {
        // Two rigs whose vibration_rms differ in unit: the table has pump-1.vibration_rms and motor-1.vibration_rms,
        // each replay file its own rig's plain vibration_rms, with that column's values.
        using var dir = new TempDirectory("fieldlab-ds");
        var spec = DatasetTableSpec.ForSensors("samples", [DatasetColumn.Sensor("motor-1.vibration_rms", "m/s2", null), DatasetColumn.Sensor("pump-1.vibration_rms", "mm/s", "Bearing-housing vibration velocity")]);
        var replay = new Dictionary<(string, string), ReplayHeader>
        {
            [("motor-1", "process")] = new("lab", "motor-1", "process", "motor", ["vibration_rms"], ["m/s2"]) { Columns = ["motor-1.vibration_rms"] },
            [("pump-1", "process")] = new("lab", "pump-1", "process", "pump", ["vibration_rms"], ["mm/s"]) { Columns = ["pump-1.vibration_rms"] },
        };
        IReadOnlyList<DatasetFile> files;
        await using (var writer = new SamplesTableWriter(dir.Path, spec, replay))
        {
            await writer.WriteAsync(new SampleRow(1_000, "motor-1", "process", [2.5, null]), default);
            await writer.WriteAsync(new SampleRow(1_000, "pump-1", "process", [null, 4.25]), default);
            files = await writer.CompleteAsync(default);
        }
        // The manifest describes the pump's replay file with the sensor's own name and the pump's unit.
        using var manifest = System.Text.Json.JsonDocument.Parse(DataPackageManifest.Render(TestData.Description(), spec, files));
        var pumpFields = manifest.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("path").GetString() == "replay-pump-1-process.csv")
            .GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["time", "vibration_rms"], pumpFields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("mm/s", pumpFields[1].GetProperty("unit").GetString());
        Assert.Contains("Bearing-housing", pumpFields[1].GetProperty("description").GetString());
        using var pump = RecordingReader.Open(dir.File("replay-pump-1-process.csv"), "auto");
        Assert.Equal(["vibration_rms"], pump.Format.SensorIds);
        Assert.True(pump.TryRead(out var row, out _));
        Assert.Equal(4.25, row.Values[0]);
        using var motor = RecordingReader.Open(dir.File("replay-motor-1-process.csv"), "auto");
        Assert.True(motor.TryRead(out row, out _));
        Assert.Equal(2.5, row.Values[0]);
    }

    [Fact]
    public async Task A_row_of_a_rig_stream_without_replay_header_or_with_non_finite_value_is_refused()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        await using var writer = new SamplesTableWriter(dir.Path, TestData.Spec, TestData.Replay);
        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(new SampleRow(1, "pump-9", "process", [1, 2, 3]), default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(new SampleRow(1, "pump-1", "process", [double.NaN, 2, 3]), default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync(new SampleRow(1, "pump-1", "process", [1, 2]), default));
    }

    internal static async Task<List<SampleRow>> ReadParquetAsync(string path)
    {
        var rows = new List<SampleRow>();
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            var times = new DateTime[n];
            await group.ReadAsync<DateTime>(fields[0], times);
            var rigs = new string?[n];
            await group.ReadAsync(fields[1], rigs.AsMemory());
            var streams = new string?[n];
            await group.ReadAsync(fields[2], streams.AsMemory());
            var values = new double?[fields.Length - 3][];
            for (int s = 0; s < values.Length; s++)
            {
                values[s] = new double?[n];
                await group.ReadAsync<double>(fields[s + 3], values[s].AsMemory());
            }
            for (int i = 0; i < n; i++)
            {
                rows.Add(new SampleRow((times[i].Ticks - DateTime.UnixEpoch.Ticks) * 100, rigs[i]!, streams[i]!, values.Select(v => v[i]).ToArray()));
            }
        }
        return rows;
    }
}
