using System.Buffers;
using System.Security.Cryptography;

namespace Fieldlab.Api.Assignments;

/// <summary>Receives an upload into a temporary file beside its final place, hashing it on the way and stopping as soon
/// as it grows past the limit (a client that lies about, or leaves out, its Content-Length is cut off there, not after
/// 100 MB).</summary>
public static class SubmissionUpload
{
    /// <summary>The folder of an assignment's submission files: <c>{Datasets:Directory}/assignments/{id}/submissions</c>.</summary>
    public static string FolderOf(string datasetsDirectory, int assignmentId) => Fieldlab.Datasets.Assignments.SubmissionFiles.FolderOf(datasetsDirectory, assignmentId);

    /// <summary>Copies <paramref name="body"/> into a new temporary file in <paramref name="folder"/>; returns its path,
    /// SHA-256 and size, or null (and no file) when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<(string Path, string Sha256, long Bytes)?> ReceiveAsync(Stream body, string folder, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}.csv");
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                int n;
                while ((n = await body.ReadAsync(buffer, ct)) > 0)
                {
                    total += n;
                    if (total > maxBytes)
                    {
                        file.Close();
                        File.Delete(temp);
                        return null;
                    }
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                await file.FlushAsync(ct);
            }
            return (temp, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
