using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fieldlab.Cli.Backup;

/// <summary><c>backup.json</c>: what a backup holds, when and by which Fieldlab it was made, the points per InfluxDB
/// measurement, and the size and SHA-256 of every other file in the backup directory.</summary>
/// <remarks>Written last, so a directory without it is an unfinished backup. Its own hash cannot be in it.</remarks>
internal sealed record BackupManifest
{
    /// <summary>The file's name in the backup directory.</summary>
    public const string FileName = "backup.json";

    /// <summary>The layout this code writes and reads; a backup of another format is refused, not guessed at.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Layout version (<see cref="CurrentFormat"/>).</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>When the backup started (UTC).</summary>
    public DateTime Created { get; init; }

    /// <summary>The Fieldlab that made it.</summary>
    public required FieldlabVersion Fieldlab { get; init; }

    /// <summary>The state directory it was taken from.</summary>
    public required string State { get; init; }

    /// <summary>InfluxDB's part, or null when the backup has none.</summary>
    public InfluxPart? Influxdb { get; init; }

    /// <summary>The metadata store's part.</summary>
    public required MetadataPart Metadata { get; init; }

    /// <summary>The dataset versions copied (<c>{id}/v{n}</c>), each checked against its manifest.</summary>
    public required IReadOnlyList<string> Datasets { get; init; }

    /// <summary>True when the broker's persistence file (<c>mosquitto.db</c>) existed and was copied.</summary>
    public bool BrokerPersistence { get; init; }

    /// <summary>True when the secrets directory is in the backup (then the backup is a secret too).</summary>
    public bool Secrets { get; init; }

    /// <summary>Every file of the backup but this one, by path relative to the backup directory.</summary>
    public required IReadOnlyList<BackupFile> Files { get; init; }

    /// <summary>Writes the manifest into <paramref name="directory"/> (through a temporary file and a rename).</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(this, Json) + "\n", cancellationToken);
        File.Move(temp, path, overwrite: false);
    }

    /// <summary>Reads the manifest of a backup directory; a clear error when it is missing, unreadable or of another format.</summary>
    public static async Task<BackupManifest> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new UsageException($"{directory} is not a Fieldlab backup: it has no {FileName} (an unfinished backup has none either)");
        BackupManifest? manifest;
        try
        {
            await using var stream = File.OpenRead(path);
            manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is not valid: {e.Message}");
        }
        if (manifest is null) throw new UsageException($"{path} is empty");
        if (manifest.Format != CurrentFormat) throw new UsageException($"{path} has format {manifest.Format}; this Fieldlab reads format {CurrentFormat}");
        foreach (var file in manifest.Files) BackupPaths.CheckRelative(file.Path);
        return manifest;
    }
}

/// <summary>One file of a backup: its path relative to the backup directory, size and lower-case hex SHA-256.</summary>
internal sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>InfluxDB's part: the database, and points per <c>retention_policy.measurement</c> counted just before the snapshot.</summary>
internal sealed record InfluxPart(string Database, IReadOnlyDictionary<string, long> Points)
{
    /// <summary>All points.</summary>
    [JsonIgnore]
    public long TotalPoints => Points.Values.Sum();
}

/// <summary>The metadata store's part: the provider, the file in the backup, and (SQLite) rows per table of the copy.</summary>
internal sealed record MetadataPart(string Provider, string File, IReadOnlyDictionary<string, long>? Rows);
