using System.Globalization;
using System.Text.Json;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Quarantine;

/// <summary>Keeps quarantined messages whole, on disk and bounded, so that they can be listed and replayed through
/// validation once the cause is fixed (a sensor added to a birth, a rig announced): a dead letter is a queue, not a grave.</summary>
/// <remarks>One file per message: a JSON line of metadata, then the payload. Payloads up to
/// <see cref="MaxReplayableBytes"/> are kept whole; larger ones (which ingest never accepts) keep their first 64 KiB and are
/// marked not replayable. Beyond the size bound the oldest messages are evicted and counted. Thread-safe.</remarks>
public sealed partial class QuarantineStore
{
    /// <summary>Largest payload kept whole (and so replayable).</summary>
    public const int MaxReplayableBytes = 1024 * 1024;

    private readonly object _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private readonly SortedDictionary<string, long> _files = new(StringComparer.Ordinal);
    private long _bytes;
    private long _sequence;

    /// <summary>Opens the store in <paramref name="directory"/>.</summary>
    public QuarantineStore(string directory, long maxBytes, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _logger = logger;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(directory, "*.msg"))
        {
            long size = new FileInfo(file).Length;
            _files[Path.GetFileNameWithoutExtension(file)] = size;
            _bytes += size;
        }
    }

    /// <summary>Messages held.</summary>
    public int Count
    {
        get { lock (_gate) return _files.Count; }
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Messages evicted because the store was full, since start.</summary>
    public long Evicted { get; private set; }

    /// <summary>Keeps a message with the reason it was quarantined; returns its id.</summary>
    public string Keep(MqttMessage message, DeadLetter letter)
    {
        bool truncated = message.Payload.Length > MaxReplayableBytes;
        var payload = truncated ? message.Payload.AsSpan(0, 64 * 1024) : message.Payload;
        UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(letter.Received), out long received);
        var id = $"{received:D20}-{Interlocked.Increment(ref _sequence):D6}";
        var meta = new QuarantinedMessage(id, message.Topic, letter.Reason, letter.Detail, letter.Received, message.Payload.Length, !truncated);
        var header = JsonSerializer.SerializeToUtf8Bytes(meta, QuarantineJson.Default.QuarantinedMessage);
        lock (_gate)
        {
            var path = PathOf(id);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(header);
                file.WriteByte((byte)'\n');
                file.Write(payload);
                // Durable before ingest acknowledges the message to the broker.
                file.Flush(flushToDisk: true);
            }
            long size = header.Length + 1 + payload.Length;
            _files[id] = size;
            _bytes += size;
            while (_bytes > _maxBytes && _files.Count > 1)
            {
                var oldest = _files.Keys.First();
                Remove(oldest);
                Evicted++;
                LogEvicted(oldest, _maxBytes);
            }
        }
        return id;
    }

    /// <summary>Quarantined messages matching the filters, oldest first.</summary>
    public List<QuarantinedMessage> List(string? reason, string? site, string? rig, int limit)
    {
        var result = new List<QuarantinedMessage>();
        foreach (var id in Ids())
        {
            if (result.Count >= limit) break;
            if (ReadMeta(id) is { } meta && Matches(meta, reason, site, rig)) result.Add(meta);
        }
        return result;
    }

    /// <summary>Takes the replayable messages matching the filters out of the store (the caller processes them again).</summary>
    public List<(QuarantinedMessage Meta, MqttMessage Message)> Take(string? reason, string? site, string? rig, string? id, int limit)
    {
        var taken = new List<(QuarantinedMessage, MqttMessage)>();
        foreach (var candidate in id is null ? Ids() : [id])
        {
            if (taken.Count >= limit) break;
            var path = PathOf(candidate);
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            int newline = Array.IndexOf(bytes, (byte)'\n');
            var meta = JsonSerializer.Deserialize(bytes.AsSpan(0, newline), QuarantineJson.Default.QuarantinedMessage);
            if (meta is null || !meta.Replayable || !Matches(meta, reason, site, rig)) continue;
            taken.Add((meta, new MqttMessage(meta.Topic, bytes[(newline + 1)..], MqttQos.AtLeastOnce, false)));
            lock (_gate) Remove(candidate);
        }
        return taken;
    }

    private List<string> Ids()
    {
        lock (_gate) return [.. _files.Keys];
    }

    private static bool Matches(QuarantinedMessage meta, string? reason, string? site, string? rig)
    {
        if (reason is not null && meta.Reason != reason) return false;
        if (site is null && rig is null) return true;
        if (!FieldlabTopic.TryParse(meta.Topic, out var topic, out _)) return false;
        return (site is null || topic.Rig.Site == site) && (rig is null || topic.Rig.Rig == rig);
    }

    private QuarantinedMessage? ReadMeta(string id)
    {
        try
        {
            using var reader = new StreamReader(PathOf(id));
            var line = reader.ReadLine();
            return line is null ? null : JsonSerializer.Deserialize(line, QuarantineJson.Default.QuarantinedMessage);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Remove(string id)
    {
        if (!_files.Remove(id, out long size)) return;
        _bytes -= size;
        File.Delete(PathOf(id));
    }

    private string PathOf(string id)
    {
        if (id.Any(c => c is not (>= '0' and <= '9' or '-'))) throw new ArgumentException("Not a quarantine id.", nameof(id));
        return Path.Combine(_directory, id + ".msg");
    }

    [LoggerMessage(2301, LogLevel.Warning, "Quarantine full ({MaxBytes} bytes): evicted the oldest message {Id}.")]
    private partial void LogEvicted(string id, long maxBytes);
}

/// <summary>A quarantined message's metadata.</summary>
public sealed record QuarantinedMessage(string Id, string Topic, string Reason, string Detail, string Received, int Bytes, bool Replayable);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(QuarantinedMessage))]
internal sealed partial class QuarantineJson : System.Text.Json.Serialization.JsonSerializerContext;
