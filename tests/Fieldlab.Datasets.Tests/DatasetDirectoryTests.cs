using Fieldlab.Testing;

namespace Fieldlab.Datasets.Tests;

public sealed class DatasetDirectoryTests
{
    [Fact]
    public async Task Commit_publishes_the_version_folder_with_read_only_files()
    {
        using var root = new TempDirectory("fieldlab-ds");
        var store = new DatasetDirectory(root.Path);
        Assert.False(store.Exists("pump-lab", 1));
        var path = await store.CommitAsync("pump-lab", 1, (dir, ct) => TestData.WriteAsync(dir, TestData.Rows(5)), default);

        Assert.Equal(Path.Combine(root.Path, "pump-lab", "v1"), path);
        Assert.Equal(path, store.PathOf("pump-lab", 1));
        Assert.True(store.Exists("pump-lab", 1));
        Assert.Equal(5, Directory.GetFiles(path).Length);
        foreach (var file in Directory.GetFiles(path))
        {
            if (OperatingSystem.IsWindows()) Assert.True(File.GetAttributes(file).HasFlag(FileAttributes.ReadOnly));
            else Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        }
        Assert.Equal(["v1"], Directory.GetFileSystemEntries(Path.Combine(root.Path, "pump-lab")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Commit_refuses_to_overwrite_an_existing_version_and_leaves_it_untouched()
    {
        using var root = new TempDirectory("fieldlab-ds");
        var store = new DatasetDirectory(root.Path);
        var path = await store.CommitAsync("pump-lab", 1, (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "a.txt"), "first", ct), default);
        bool ran = false;
        var e = await Assert.ThrowsAsync<DatasetVersionExistsException>(() => store.CommitAsync("pump-lab", 1, (dir, ct) =>
        {
            ran = true;
            return File.WriteAllTextAsync(Path.Combine(dir, "a.txt"), "second", ct);
        }, default));
        Assert.Equal(1, e.Version);
        Assert.False(ran);
        Assert.Equal("first", File.ReadAllText(Path.Combine(path, "a.txt")));
        Assert.Equal(["v1"], Directory.GetFileSystemEntries(Path.Combine(root.Path, "pump-lab")).Select(Path.GetFileName));
        // Another version is fine.
        await store.CommitAsync("pump-lab", 2, (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "a.txt"), "v2", ct), default);
        Assert.True(store.Exists("pump-lab", 2));
    }

    [Fact]
    public async Task A_writer_failing_midway_leaves_no_version_and_no_partial_folder()
    {
        using var root = new TempDirectory("fieldlab-ds");
        var store = new DatasetDirectory(root.Path);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CommitAsync("pump-lab", 1, async (dir, ct) =>
        {
            await using var writer = new SamplesTableWriter(dir, TestData.Spec, TestData.Replay);
            int n = 0;
            foreach (var row in TestData.Rows(50))
            {
                if (++n == 40) throw new InvalidOperationException("influx went away");
                await writer.WriteAsync(row, ct);
            }
        }, default));
        Assert.Equal("influx went away", e.Message);
        Assert.False(store.Exists("pump-lab", 1));
        Assert.False(Directory.Exists(Path.Combine(root.Path, "pump-lab"))); // not even an empty folder of the id
    }

    [Fact]
    public async Task A_cancelled_commit_leaves_no_partial_folder()
    {
        using var root = new TempDirectory("fieldlab-ds");
        var store = new DatasetDirectory(root.Path);
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync("pump-lab", 1, async (dir, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "a.txt"), "x", ct);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cts.Token));
        Assert.False(Directory.Exists(Path.Combine(root.Path, "pump-lab"))); // not even an empty folder of the id
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("..")]
    [InlineData("Pump")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Ids_that_are_not_plain_names_are_refused(string id)
    {
        var store = new DatasetDirectory("/tmp/never-created");
        Assert.ThrowsAny<ArgumentException>(() => store.PathOf(id, 1));
    }

    [Fact]
    public void Versions_below_one_are_refused() =>
        Assert.ThrowsAny<ArgumentException>(() => new DatasetDirectory("/tmp/never-created").PathOf("pump-lab", 0));
}
