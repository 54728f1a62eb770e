using System.Text.Json;
using Fieldlab.Datasets;

namespace Fieldlab.Api.Sandboxes;

/// <summary>A replay file of a dataset version: which rig and stream it plays, its kind and rate, read from the
/// version's manifest (the <c>fieldlab</c> block of each replay resource).</summary>
/// <param name="Rig">Rig id.</param>
/// <param name="Stream">Stream id.</param>
/// <param name="Kind">Rig kind.</param>
/// <param name="RateHz">Sampling rate, if known.</param>
/// <param name="Name">File name in the version folder.</param>
/// <param name="Rows">Rows of the file.</param>
/// <param name="Sha256">Its SHA-256 (hex).</param>
public sealed record SandboxReplayFile(string Rig, string Stream, string Kind, double? RateHz, string Name, long Rows, string Sha256)
{
    /// <summary>The replay files listed in a version's <c>datapackage.json</c>.</summary>
    public static async Task<IReadOnlyList<SandboxReplayFile>> ReadAsync(string versionFolder, CancellationToken ct)
    {
        await using var file = File.OpenRead(Path.Combine(versionFolder, DataPackageManifest.FileName));
        using var manifest = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        var files = new List<SandboxReplayFile>();
        foreach (var resource in manifest.RootElement.GetProperty("resources").EnumerateArray())
        {
            if (!resource.TryGetProperty("fieldlab", out var block) || block.GetProperty("role").GetString() != "replay") continue;
            files.Add(new SandboxReplayFile(block.GetProperty("rig").GetString()!, block.GetProperty("stream").GetString()!, block.GetProperty("kind").GetString()!,
                block.TryGetProperty("rateHz", out var rate) ? rate.GetDouble() : null, resource.GetProperty("path").GetString()!, block.GetProperty("rows").GetInt64(),
                resource.GetProperty("hash").GetString()!["sha256:".Length..]));
        }
        return files;
    }
}
