using Fieldlab.Testing;
using Parquet;

namespace Fieldlab.Datasets.Tests;

[Collection(MemoryCollection.Name)]
public sealed class MemoryTests
{
    [Fact]
    public async Task Writing_300000_rows_of_8_sensors_holds_one_row_group_not_the_whole_table()
    {
        const int Rows = 300_000;
        using var dir = new TempDirectory("fieldlab-ds");
        var sensors = Enumerable.Range(0, 8).Select(i => DatasetColumn.Sensor($"s{i}", "V", null)).ToArray();
        var spec = DatasetTableSpec.ForSensors("samples", sensors);
        var replay = new Dictionary<(string, string), ReplayHeader>
        {
            [("rig-1", "process")] = new("lab", "rig-1", "process", "pump", sensors.Select(s => s.Name).ToArray(), sensors.Select(_ => "V").ToArray()),
        };
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        await using (var writer = new SamplesTableWriter(dir.Path, spec, replay))
        {
            for (int i = 0; i < Rows; i++)
            {
                // A fresh array per row, as a reader of InfluxDB would hand over: holding them would cost ~46 MB.
                var values = new double?[8];
                for (int s = 0; s < 8; s++) values[s] = i % 9 == s ? null : i * 0.001 + s;
                await writer.WriteAsync(new SampleRow(1_795_000_000_000_000_000L + i * 1_000_000L, "rig-1", "process", values), default);
                if (i % 50_000 == 49_999) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
            Assert.Equal(6, writer.ParquetRowGroups);
            var files = await writer.CompleteAsync(default);
            Assert.All(files, f => Assert.Equal(Rows, f.Rows));
        }
        // One buffered row group of 50,000 rows is ~8 MB, plus the Parquet writer's own buffers and pooled arrays (seen up
        // to 28 MB); the whole table held in memory measured ~84 MB.
        Assert.True(peak < 40_000_000, $"live heap grew by {peak:N0} bytes while writing");

        await using var reader = await ParquetReader.CreateAsync(dir.File("samples.parquet"));
        Assert.Equal(6, reader.RowGroupCount);
        Assert.All(reader.RowGroups, g => Assert.Equal(50_000, g.RowCount));
    }
}
