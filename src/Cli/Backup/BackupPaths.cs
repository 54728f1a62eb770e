namespace Fieldlab.Cli.Backup;

/// <summary>Where each part lives inside a backup directory, and the file operations every part shares: copying a
/// tree with its file modes, hashing what was written.</summary>
internal static class BackupPaths
{
    /// <summary>InfluxDB's portable backup (the files <c>influxd backup -portable</c> writes).</summary>
    public const string Influx = "influxdb";

    /// <summary>The metadata store's copy.</summary>
    public const string Metadata = "metadata";

    /// <summary>The dataset files, as under the state's <c>datasets/</c>.</summary>
    public const string Datasets = "datasets";

    /// <summary>The broker's persistence and access files, as under the state's <c>mosquitto/</c>.</summary>
    public const string Broker = "mosquitto";

    /// <summary>The secrets, as under the state's <c>secrets/</c>.</summary>
    public const string Secrets = "secrets";

    /// <summary>Refuses a path that is absolute or climbs out of the backup directory (a tampered backup.json).</summary>
    public static void CheckRelative(string path)
    {
        if (string.IsNullOrEmpty(path) || Path.IsPathRooted(path) || path.Split('/').Any(part => part is "" or "." or ".."))
            throw new UsageException($"{BackupManifest.FileName} names '{path}', which is not a plain path inside the backup");
    }

    /// <summary>Relative path of <paramref name="file"/> under <paramref name="root"/>, with '/' separators.</summary>
    public static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Copies one file, keeping its Unix mode (0444 dataset files stay read-only, 0600 secrets private); the
    /// target's folders are made as needed. Never overwrites.</summary>
    public static void CopyFile(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: false);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(source));
    }

    /// <summary>Copies every file under <paramref name="source"/> to the same place under <paramref name="target"/>,
    /// skipping files for which <paramref name="skip"/> says so; returns the relative paths copied.</summary>
    public static List<string> CopyTree(string source, string target, Func<string, bool>? skip = null)
    {
        var copied = new List<string>();
        if (!Directory.Exists(source)) return copied;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Relative(source, file);
            if (skip?.Invoke(relative) == true) continue;
            CopyFile(file, Path.Combine(target, relative));
            copied.Add(relative);
        }
        KeepDirectoryModes(source, target);
        return copied;
    }

    /// <summary>Copies the files of <paramref name="files"/> under <paramref name="prefix"/>/ from the backup to the same
    /// place under <paramref name="target"/>: only what backup.json lists (and the restore checked), never a file
    /// added to the backup directory since; returns how many.</summary>
    public static int CopyListed(string backupDirectory, string prefix, IReadOnlyList<BackupFile> files, string target)
    {
        int copied = 0;
        foreach (var file in files.Where(f => f.Path.StartsWith(prefix + "/", StringComparison.Ordinal)))
        {
            CopyFile(Path.Combine(backupDirectory, file.Path), Path.Combine(target, file.Path[(prefix.Length + 1)..]));
            copied++;
        }
        KeepDirectoryModes(Path.Combine(backupDirectory, prefix), target);
        return copied;
    }

    // Folders keep their modes too: the secrets folder is 0700.
    private static void KeepDirectoryModes(string source, string target)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(source) || !Directory.Exists(target)) return;
        File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        foreach (var folder in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, folder));
            if (Directory.Exists(copy)) File.SetUnixFileMode(copy, File.GetUnixFileMode(folder));
        }
    }

    /// <summary>Every file under <paramref name="directory"/> but <see cref="BackupManifest.FileName"/>, with size and SHA-256.</summary>
    public static async Task<List<BackupFile>> DescribeAllAsync(string directory, CancellationToken cancellationToken)
    {
        var files = new List<BackupFile>();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Relative(directory, file);
            if (relative == BackupManifest.FileName) continue;
            var (sha, bytes) = await Fieldlab.Datasets.FileHash.ComputeAsync(file, cancellationToken);
            files.Add(new BackupFile(relative, bytes, sha));
        }
        return files;
    }
}
