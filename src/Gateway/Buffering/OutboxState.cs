using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fieldlab.Gateway.Buffering;

/// <summary>The small, atomically replaced file beside the buffer segments: per stream the next sequence number, the
/// confirmed intervals and the rows ever dropped because the buffer was full.</summary>
internal sealed class OutboxState
{
    public Dictionary<string, StreamState> Streams { get; set; } = new(StringComparer.Ordinal);

    public static OutboxState Load(string path)
    {
        if (!File.Exists(path)) return new OutboxState();
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), OutboxStateJson.Default.OutboxState) ?? new OutboxState();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The buffer state file {path} is damaged ({e.Message}); move it away to start over (unconfirmed data will be sent again).", e);
        }
    }

    /// <summary>Writes to a temporary file, fsyncs it, and renames it over the old one, so a crash leaves one or the other.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, this, OutboxStateJson.Default.OutboxState);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public sealed class StreamState
    {
        public long NextSeq { get; set; }

        /// <summary>Every row below this is confirmed or was given up.</summary>
        public long HandledBelow { get; set; }

        public List<long[]> Confirmed { get; set; } = [];

        public long DroppedRows { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(OutboxState))]
internal sealed partial class OutboxStateJson : JsonSerializerContext;
