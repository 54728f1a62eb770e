using Fieldlab.Testing;
using Parquet;

namespace Fieldlab.Datasets.Tests;

[Collection(MemoryCollection.Name)]
public sealed class WaveformMemoryTests
{
    [Fact]
    public async Task Writing_two_minutes_of_a_three_axis_12800_Hz_waveform_holds_one_row_group_not_the_whole_table()
    {
        const int Frames = 750; // × 2048 = 1,536,000 samples per axis, 2 minutes at 12.8 kHz
        const int Count = 2048;
        using var dir = new TempDirectory("fieldlab-ds");
        DatasetColumn[] axes = [DatasetColumn.Sensor("accel_x", "m/s2", null), DatasetColumn.Sensor("accel_y", "m/s2", null), DatasetColumn.Sensor("accel_z", "m/s2", null)];
        var buffers = axes.Select(_ => new float[Count]).ToArray();
        var random = new Random(7);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        await using (var writer = await WaveformTableWriter.CreateAsync(dir.Path, axes, default))
        {
            for (int f = 0; f < Frames; f++)
            {
                // The source reuses its buffers, as the freezer's reader does.
                foreach (var b in buffers) for (int i = 0; i < Count; i++) b[i] = (float)(random.NextDouble() - 0.5);
                await writer.WriteAsync(new WaveformBlock("motor-1", "vibration", 1_795_000_000_000_000_000L + f * 160_000_000L, 12_800, (long)f * Count, Count,
                    [.. buffers.Select(b => (ReadOnlyMemory<float>)b)]), default);
                if (f % 100 == 99) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
            var file = await writer.CompleteAsync(default);
            Assert.Equal((long)Frames * Count, file.Rows);
        }
        // One row group of 131,072 rows is ~7 MB of buffers plus Parquet.Net's page and compression buffers; the whole
        // table held in memory would be ~86 MB (1.5 M rows × 56 bytes), an hour ~2.6 GB.
        // Bound 60 MB: Parquet.Net's pooled buffers creep up over the row groups (22–40 MB seen); the whole table would be 86 MB.
        Assert.True(peak < 60_000_000, $"live heap grew by {peak:N0} bytes while writing");
        await using var reader = await ParquetReader.CreateAsync(dir.File(WaveformTableWriter.FileName));
        Assert.Equal((int)Math.Ceiling(Frames * (double)Count / WaveformTableWriter.DefaultRowGroupRows), reader.RowGroupCount);
    }
}
