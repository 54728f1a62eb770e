using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Storage;

/// <summary>The bounded on-disk write-ahead spool ingest falls back to while InfluxDB is unreachable: batches that could
/// not be written are appended here, in order, and replayed into InfluxDB once it answers again; only then are their
/// sequence ranges confirmed. Memory stays flat however long the outage lasts.</summary>
/// <remarks>One file per batch (<c>{n:D12}.batch</c>): u32 magic "FLS2", u32 checksum of the rest, then four length-prefixed
/// sections — default-policy points, samples, raw waveform points, acknowledgements (JSON) — and the row count. Files of
/// the first format ("FLSP": no samples section; samples were then in the default policy's points) are still read. A file that fails its
/// check (a crash mid-write) is reported and removed; its data was never confirmed, so gateways send it again.
/// Thread-safe.</remarks>
public sealed partial class WriteSpool
{
    private const uint Magic = 0x32534C46; // "FLS2"
    private const uint MagicWithoutSamples = 0x50534C46; // "FLSP", before samples had their own policy

    private readonly object _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, long> _files = []; // index → bytes
    private long _next;
    private long _bytes;
    private long _rejected;

    /// <summary>Opens the spool, picking up batches a previous run left.</summary>
    public WriteSpool(string directory, long maxBytes, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _logger = logger;
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(directory, "*.batch"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out long index))
            {
                long size = new FileInfo(file).Length;
                _files[index] = size;
                _bytes += size;
                _next = Math.Max(_next, index + 1);
            }
        }
        if (_files.Count > 0) LogRecovered(_files.Count, _bytes);
    }

    /// <summary>Batches waiting.</summary>
    public int Count
    {
        get { lock (_gate) return _files.Count; }
    }

    /// <summary>Bytes waiting.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>True when the spool holds its maximum: ingest stops consuming until it drains.</summary>
    public bool IsFull => Bytes >= _maxBytes;

    /// <summary>Appends a batch, fsynced: once this returns the batch is durable and its deliveries may be acknowledged.
    /// Throws <see cref="IOException"/> (disk full, I/O error) with nothing half-written left behind.</summary>
    public void Append(PointBatch batch)
    {
        var bytes = Encode(batch);
        lock (_gate)
        {
            long index = _next++;
            var path = PathOf(index);
            WriteDurably(path, bytes);
            _files[index] = bytes.Length;
            Interlocked.Add(ref _bytes, bytes.Length);
        }
    }

    /// <summary>Keeps a batch InfluxDB refused as a whole (HTTP 400, nothing stored: retrying cannot help) under
    /// <c>rejected/</c> in the spool's format, with the reason beside it, fsynced; it is never drained. Returns its path.</summary>
    public string Reject(PointBatch batch, string reason)
    {
        var bytes = Encode(batch);
        var directory = Path.Combine(_directory, "rejected");
        Directory.CreateDirectory(directory);
        var name = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture) + "-" + Interlocked.Increment(ref _rejected).ToString(CultureInfo.InvariantCulture);
        var path = Path.Combine(directory, name + ".batch");
        WriteDurably(path + ".reason.txt", System.Text.Encoding.UTF8.GetBytes(reason + "\n"));
        WriteDurably(path, bytes);
        return path;
    }

    /// <summary>Moves a spooled batch InfluxDB refused as a whole under <c>rejected/</c>, with the reason; returns its path.</summary>
    public string RejectSpooled(long index, string reason)
    {
        var directory = Path.Combine(_directory, "rejected");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Path.GetFileName(PathOf(index)));
        WriteDurably(path + ".reason.txt", System.Text.Encoding.UTF8.GetBytes(reason + "\n"));
        lock (_gate)
        {
            if (_files.Remove(index, out long size)) Interlocked.Add(ref _bytes, -size);
            File.Move(PathOf(index), path, overwrite: true);
        }
        Interlocked.Increment(ref _rejected);
        return path;
    }

    /// <summary>Batches kept under <c>rejected/</c> by this process.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    // Temp file, fsync, rename: a crash leaves either the whole file or none; a failed write leaves nothing.
    private static void WriteDurably(string path, byte[] bytes)
    {
        try
        {
            using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (IOException)
        {
            TryDelete(path + ".tmp");
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next start's scan, which ignores .tmp files.
        }
    }

    private static byte[] Encode(PointBatch batch)
    {
        var acks = batch.Acks.Peek().Select(a => new SpooledAck(a.Rig.Site, a.Rig.Rig, a.Ack.Stream, a.Ack.Ranges)).ToList();
        var ackJson = JsonSerializer.SerializeToUtf8Bytes(acks, SpoolJson.Default.ListSpooledAck);
        var points = batch.Points.WrittenMemory.Span;
        var samples = batch.Samples.WrittenMemory.Span;
        var raw = batch.Raw.WrittenMemory.Span;
        var bytes = new byte[8 + 4 + points.Length + 4 + samples.Length + 4 + raw.Length + 4 + ackJson.Length + 4];
        var span = bytes.AsSpan(8);
        int p = Section(span, points);
        p += Section(span[p..], samples);
        p += Section(span[p..], raw);
        p += Section(span[p..], ackJson);
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], batch.Rows);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc(bytes.AsSpan(8)));
        return bytes;
    }

    /// <summary>The oldest batch, or null when empty. A damaged file is reported, removed, and skipped.</summary>
    public SpooledBatch? Peek()
    {
        while (true)
        {
            long index;
            lock (_gate)
            {
                if (_files.Count == 0) return null;
                index = _files.Keys.First();
            }
            var bytes = File.ReadAllBytes(PathOf(index));
            uint magic = bytes.Length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
            if (magic is Magic or MagicWithoutSamples && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) == Crc(bytes.AsSpan(8)))
            {
                var span = new ReadOnlyMemory<byte>(bytes, 8, bytes.Length - 8);
                var points = Section(ref span);
                var samples = magic == Magic ? Section(ref span) : ReadOnlyMemory<byte>.Empty;
                var raw = Section(ref span);
                var ackJson = Section(ref span);
                int rows = BinaryPrimitives.ReadInt32LittleEndian(span.Span);
                var acks = JsonSerializer.Deserialize(ackJson.Span, SpoolJson.Default.ListSpooledAck) ?? [];
                return new SpooledBatch(index, points, samples, raw, acks, rows);
            }
            LogDamaged(PathOf(index));
            Remove(index);
        }
    }

    /// <summary>Removes a batch once InfluxDB has it.</summary>
    public void Remove(long index)
    {
        lock (_gate)
        {
            if (!_files.Remove(index, out long size)) return;
            Interlocked.Add(ref _bytes, -size);
            File.Delete(PathOf(index));
        }
    }

    private string PathOf(long index) => Path.Combine(_directory, index.ToString("D12", CultureInfo.InvariantCulture) + ".batch");

    private static int Section(Span<byte> destination, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, data.Length);
        data.CopyTo(destination[4..]);
        return 4 + data.Length;
    }

    private static ReadOnlyMemory<byte> Section(ref ReadOnlyMemory<byte> data)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(data.Span);
        var section = data.Slice(4, length);
        data = data[(4 + length)..];
        return section;
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        // FNV-1a-style 32-bit checksum: only to tell a torn file from a whole one.
        uint hash = 2166136261;
        foreach (var b in data) hash = (hash ^ b) * 16777619;
        return hash;
    }

    [LoggerMessage(2101, LogLevel.Warning, "Spool holds {Batches} batches ({Bytes} bytes) from a previous run; they will be written first.")]
    private partial void LogRecovered(int batches, long bytes);

    [LoggerMessage(2102, LogLevel.Error, "Spool file {Path} is damaged (a crash while writing it); removed. Its data was never confirmed, so gateways send it again.")]
    private partial void LogDamaged(string path);
}

/// <summary>A spooled batch read back.</summary>
public sealed record SpooledBatch(long Index, ReadOnlyMemory<byte> Points, ReadOnlyMemory<byte> Samples, ReadOnlyMemory<byte> Raw, IReadOnlyList<SpooledAck> Acks, int Rows);

/// <summary>An acknowledgement kept with a spooled batch.</summary>
public sealed record SpooledAck(string Site, string Rig, string Stream, IReadOnlyList<long[]> Ranges)
{
    /// <summary>The wire acknowledgement.</summary>
    public Acknowledgement ToAck() => new() { Stream = Stream, Ranges = Ranges };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<SpooledAck>))]
internal sealed partial class SpoolJson : System.Text.Json.Serialization.JsonSerializerContext;
