using System.Text.Json;

namespace Fieldlab.Cli.Backup;

/// <summary>The dataset files (<c>Datasets:Directory</c>): frozen versions are immutable, so a copy is consistent
/// file by file; each copied version is checked against its own manifest (<c>datapackage.json</c>: every resource's
/// size and SHA-256), so a backup never carries a dataset that no longer matches what was published.</summary>
/// <remarks>Folders being written by a freeze (<c>.tmp-…</c>) are skipped: they are not datasets until renamed. The
/// rest of the folder (assignment submissions, hidden labels) is copied as it is; it has no manifest to check.</remarks>
internal static class DatasetBackup
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/>; returns the relative paths copied.</summary>
    public static List<string> Copy(string source, string target) =>
        BackupPaths.CopyTree(source, target, relative => relative.Split('/').Any(part => part.StartsWith(".tmp-", StringComparison.Ordinal)));

    /// <summary>Checks every dataset version under <paramref name="prefix"/> of the described files against its
    /// manifest; returns the versions (<c>{id}/v{n}</c>). A resource missing or different names the file.</summary>
    public static async Task<List<string>> VerifyAsync(string backupDirectory, string prefix, IReadOnlyList<BackupFile> files, CancellationToken cancellationToken)
    {
        var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var versions = new List<string>();
        foreach (var manifest in files.Where(f => IsVersionManifest(f.Path, prefix)))
        {
            var version = manifest.Path[(prefix.Length + 1)..^"/datapackage.json".Length];
            await using var stream = File.OpenRead(Path.Combine(backupDirectory, manifest.Path));
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            foreach (var resource in json.RootElement.GetProperty("resources").EnumerateArray())
            {
                var name = resource.GetProperty("path").GetString()!;
                var expected = resource.GetProperty("hash").GetString()!;
                var path = $"{prefix}/{version}/{name}";
                if (!byPath.TryGetValue(path, out var file))
                    throw new InvalidOperationException($"dataset {version}: {name} is in its manifest but not in the dataset folder");
                if (expected != "sha256:" + file.Sha256 || (resource.TryGetProperty("bytes", out var bytes) && bytes.GetInt64() != file.Bytes))
                    throw new InvalidOperationException($"dataset {version}: {name} has sha256 {file.Sha256} ({file.Bytes} bytes), its manifest says {expected}: the frozen file changed");
            }
            versions.Add(version);
        }
        return versions;
    }

    // {prefix}/{id}/v{n}/datapackage.json
    private static bool IsVersionManifest(string path, string prefix)
    {
        var parts = path.Split('/');
        return parts.Length == 4 && parts[0] == prefix && parts[3] == "datapackage.json"
            && parts[2].Length > 1 && parts[2][0] == 'v' && parts[2][1..].All(char.IsAsciiDigit);
    }
}
