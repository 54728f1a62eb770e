using System.Security.Cryptography;

namespace Fieldlab.Datasets;

/// <summary>SHA-256 and size of a file as the manifest records them.</summary>
public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 and byte count of a file, read as stored (the hash a download must match).</summary>
    public static async Task<(string Sha256, long Bytes)> ComputeAsync(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return (Convert.ToHexStringLower(hash), stream.Length);
    }

    /// <summary>A written file of <paramref name="directory"/> with its size and hash, as the manifest lists it.</summary>
    public static async Task<DatasetFile> DescribeAsync(string directory, string name, string format, string mediaType, long rows, CancellationToken ct)
    {
        var (sha, bytes) = await ComputeAsync(Path.Combine(directory, name), ct).ConfigureAwait(false);
        return new DatasetFile(name, format, mediaType, bytes, sha, rows);
    }
}
