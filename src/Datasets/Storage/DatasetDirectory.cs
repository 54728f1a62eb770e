using System.Globalization;

namespace Fieldlab.Datasets;

/// <summary>The on-disk store of frozen datasets: <c>{root}/{id}/v{version}/</c>, each version written once into a
/// temporary folder, renamed into place atomically and made read-only.</summary>
/// <remarks>The temporary folder (<c>{root}/{id}/.tmp-v{version}-{random}</c>) sits beside its target so the rename
/// never crosses file systems; readers never see a half-written version. Names starting with <c>.</c> are not datasets.</remarks>
public sealed class DatasetDirectory
{
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A store rooted at a folder (created when the first version is committed).</summary>
    public DatasetDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Absolute root folder.</summary>
    public string Root { get; }

    /// <summary>Folder of a version: <c>{root}/{id}/v{version}</c>. Throws for an invalid id or a version below 1.</summary>
    public string PathOf(string id, int version)
    {
        DatasetIds.Validate(id, version);
        return Path.Combine(Root, id, "v" + version.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>True when that version has been committed.</summary>
    public bool Exists(string id, int version) => Directory.Exists(PathOf(id, version));

    /// <summary>Runs <paramref name="write"/> against a fresh temporary folder, then moves it to
    /// <see cref="PathOf"/> atomically and makes every file read-only (0444); throws
    /// <see cref="DatasetVersionExistsException"/> if the version exists; deletes the temporary folder on failure.</summary>
    /// <returns>The committed version's folder.</returns>
    public async Task<string> CommitAsync(string id, int version, Func<string, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = PathOf(id, version);
        if (Directory.Exists(target)) throw new DatasetVersionExistsException(id, version);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".tmp-v{version.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            await write(temp, ct);
            ct.ThrowIfCancellationRequested();
            if (!Directory.EnumerateFileSystemEntries(temp).Any()) throw new InvalidOperationException($"writing {id} v{version} produced no files");
            // Read-only before the rename: once visible, a version is already immutable.
            foreach (var file in Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories)) MakeReadOnly(file);
            try
            {
                // rename(2): atomic, and it fails rather than replace a non-empty folder, so two concurrent commits of
                // the same version cannot both win even if both passed the check above.
                Directory.Move(temp, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                throw new DatasetVersionExistsException(id, version);
            }
            return target;
        }
        catch
        {
            TryDelete(temp);
            // A first version that failed leaves no empty folder of its id behind either.
            try
            {
                if (!Directory.EnumerateFileSystemEntries(parent).Any()) Directory.Delete(parent);
            }
            catch (IOException)
            {
                // Another version is being written beside it.
            }
            throw;
        }
    }

    private static void MakeReadOnly(string file)
    {
        if (OperatingSystem.IsWindows()) File.SetAttributes(file, File.GetAttributes(file) | FileAttributes.ReadOnly);
        else File.SetUnixFileMode(file, ReadOnly);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (!Directory.Exists(folder)) return;
            if (OperatingSystem.IsWindows())
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
            }
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover ".tmp-" folder is never taken for a dataset version.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}

/// <summary>A dataset version is already committed: frozen versions are never overwritten.</summary>
public sealed class DatasetVersionExistsException(string id, int version)
    : IOException($"dataset '{id}' version {version} already exists; a frozen version is never overwritten")
{
    /// <summary>Dataset id.</summary>
    public string Id { get; } = id;

    /// <summary>Version.</summary>
    public int Version { get; } = version;
}
