using Fieldlab.Testing;
using Parquet;

namespace Fieldlab.Datasets.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Same_rows_written_twice_give_identical_bytes_and_hashes_in_every_format()
    {
        using var a = new TempDirectory("fieldlab-ds");
        using var b = new TempDirectory("fieldlab-ds");
        var filesA = await TestData.WriteAsync(a.Path, TestData.Rows(200), rowGroupRows: 64);
        // Over a second apart, so a clock in any file (seconds or finer) would show.
        await Task.Delay(1100);
        var filesB = await TestData.WriteAsync(b.Path, TestData.Rows(200), rowGroupRows: 64);

        Assert.Equal(["samples.csv", "samples.parquet", "replay-pump-1-process.csv", "replay-pump-1-vibration.csv", "replay-pump-2-process.csv"], filesA.Select(f => f.Name));
        Assert.Equal(filesA, filesB);
        Assert.Equal(Directory.GetFiles(a.Path).Select(Path.GetFileName).Order(), filesA.Select(f => f.Name).Order());
        foreach (var file in filesA)
        {
            Assert.Equal(File.ReadAllBytes(a.File(file.Name)), File.ReadAllBytes(b.File(file.Name)));
        }
        var description = TestData.Description();
        Assert.Equal(DataPackageManifest.Render(description, TestData.Spec, filesA), DataPackageManifest.Render(description, TestData.Spec, filesB));
        Assert.Equal(DatasetReadme.Render(description, filesA), DatasetReadme.Render(description, filesB));
    }

    [Fact]
    public async Task Parquet_carries_no_clock_or_id_only_the_library_version()
    {
        using var dir = new TempDirectory("fieldlab-ds");
        await TestData.WriteAsync(dir.Path, TestData.Rows(10));
        await using var reader = await ParquetReader.CreateAsync(dir.File("samples.parquet"));
        Assert.Matches(@"^Parquet\.Net version 6\.1\.0", reader.Metadata!.CreatedBy);
        Assert.DoesNotContain(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), reader.Metadata.CreatedBy);
        Assert.Empty(reader.CustomMetadata);
    }
}
