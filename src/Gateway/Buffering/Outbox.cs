using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Fieldlab.Telemetry.Sequences;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway.Buffering;

/// <summary>The gateway's bounded on-disk store-and-forward buffer: every message is appended here before it is sent,
/// and stays until it is confirmed, so that neither a broker outage nor a killed gateway loses data.</summary>
/// <remarks>
/// Layout: segment files <c>{n:D10}.seg</c> of records
/// <c>magic "FLOB" · u32 length · u8 version · u8 channel · u8 stream-length · stream · i64 first-seq · i32 count ·
/// i64 appended-ns · i32 payload-length · payload · u32 CRC-32</c> (little-endian), and <c>state.json</c> with the
/// confirmed intervals per stream. Recovery reads every segment, truncates a torn last record, and forgets what the
/// state file says is confirmed. A segment is deleted when all its records are confirmed. When the buffer would grow
/// beyond <see cref="OutboxOptions.MaxBytes"/>, the oldest segment is dropped and its unconfirmed rows are counted as
/// lost (per stream, persisted, reported) — never silently. Thread-safe.
/// </remarks>
public sealed partial class Outbox : IDisposable
{
    private const uint Magic = 0x424F4C46; // "FLOB" little-endian
    private const int FixedHeader = 4 + 4 + 1 + 1 + 1 + 8 + 4 + 8 + 4;

    private readonly object _gate = new();
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _statePath;
    private readonly SortedDictionary<int, Segment> _segments = [];
    private readonly Dictionary<long, OutboxRecord> _open = [];
    private readonly SortedSet<long> _unsent = [];
    private readonly Dictionary<string, StreamBook> _streams = new(StringComparer.Ordinal);
    private FileStream _writer = null!;
    private Segment _current = null!;
    private long _nextId;
    private long _lastFsync;
    private bool _dirty;
    private bool _disposed;

    private Outbox(OutboxOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _statePath = Path.Combine(options.Directory, "state.json");
    }

    /// <summary>Opens (or creates) the buffer in <see cref="OutboxOptions.Directory"/>, recovering what a previous run left.</summary>
    public static Outbox Open(OutboxOptions options, TimeProvider time, ILogger logger)
    {
        Directory.CreateDirectory(options.Directory);
        var outbox = new Outbox(options, time, logger);
        outbox.Recover();
        return outbox;
    }

    /// <summary>Raised (outside the lock) when records become sendable: appended, or due again for a resend.</summary>
    public event Action? RecordsAvailable;

    /// <summary>The next sequence number of a stream: continues across restarts.</summary>
    public long NextSeq(string stream)
    {
        lock (_gate) return Book(stream).NextSeq;
    }

    /// <summary>Appends a message of <paramref name="count"/> rows of <paramref name="stream"/> starting at
    /// <paramref name="firstSeq"/> (which must be the stream's <see cref="NextSeq"/>). When it returns, the record is
    /// in the operating system's hands and survives the gateway being killed.</summary>
    public OutboxRecord Append(TopicChannel channel, string stream, long firstSeq, int count, ReadOnlySpan<byte> payload)
    {
        OutboxRecord record;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var book = Book(stream);
            if (firstSeq != book.NextSeq) throw new InvalidOperationException($"Stream '{stream}' continues at seq {book.NextSeq}, not {firstSeq}.");
            var streamBytes = Encoding.ASCII.GetBytes(stream);
            int length = FixedHeader + streamBytes.Length + payload.Length;
            if (_current.Bytes > 0 && _current.Bytes + length + 4 > _options.SegmentBytes) Roll();

            var buffer = ArrayPool<byte>.Shared.Rent(length + 4);
            try
            {
                var span = buffer.AsSpan(0, length + 4);
                long now = UtcTimestamp.ToNanoseconds(_time.GetUtcNow());
                int payloadOffset = WriteHeader(span, channel, streamBytes, firstSeq, count, now, payload.Length);
                payload.CopyTo(span[payloadOffset..]);
                BinaryPrimitives.WriteUInt32LittleEndian(span[length..], Crc32.Compute(span[8..length]));
                _writer.Write(span);
                _writer.Flush(flushToDisk: false);
                MaybeFsync();
                record = new OutboxRecord(_nextId++, channel, stream, firstSeq, count, now, _current.Index, _current.Bytes, payloadOffset, payload.Length);
                _current.Bytes += length + 4;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            Track(record);
            book.NextSeq = firstSeq + count;
            _dirty = true;
            EnforceBound();
        }
        RecordsAvailable?.Invoke();
        return record;
    }

    /// <summary>Reads a record's payload back from disk.</summary>
    public byte[] ReadPayload(OutboxRecord record)
    {
        string path;
        lock (_gate)
        {
            if (!_segments.TryGetValue(record.Segment, out var segment)) throw new InvalidOperationException("The record's segment was dropped.");
            path = segment.Path;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Position = record.Offset + record.PayloadOffset;
        var payload = new byte[record.PayloadLength];
        file.ReadExactly(payload);
        return payload;
    }

    /// <summary>Takes the next record to send: the oldest unsent one appended after <paramref name="liveSinceNs"/> (the live
    /// lane) if any, otherwise, if <paramref name="allowBacklog"/>, the oldest unsent one at all (the backlog lane).</summary>
    public OutboxRecord? TakeNext(long liveSinceNs, bool allowBacklog, out bool isBacklog)
    {
        lock (_gate)
        {
            isBacklog = false;
            if (_unsent.Count == 0) return null;
            // Live: scan back from the newest while records are young; take the oldest of those.
            OutboxRecord? live = null;
            foreach (var id in _unsent.Reverse())
            {
                var r = _open[id];
                if (r.AppendedAtNs < liveSinceNs) break;
                live = r;
            }
            var chosen = live;
            if (chosen is null && allowBacklog)
            {
                chosen = _open[_unsent.Min];
                isBacklog = true;
            }
            if (chosen is null) return null;
            _unsent.Remove(chosen.Id);
            chosen.State = DeliveryState.InFlight;
            chosen.Sends++;
            chosen.LastSentNs = UtcTimestamp.ToNanoseconds(_time.GetUtcNow());
            return chosen;
        }
    }

    /// <summary>Records that the broker acknowledged a record (PUBACK).</summary>
    public void MarkPublished(OutboxRecord record)
    {
        lock (_gate)
        {
            if (record.State == DeliveryState.InFlight) record.State = DeliveryState.Published;
        }
    }

    /// <summary>Puts a record back to be sent again (its PUBACK failed, or no confirmation came in time).</summary>
    public void Requeue(OutboxRecord record)
    {
        lock (_gate)
        {
            if (record.State is DeliveryState.Confirmed || !_open.ContainsKey(record.Id)) return;
            record.State = DeliveryState.Unsent;
            _unsent.Add(record.Id);
        }
        RecordsAvailable?.Invoke();
    }

    /// <summary>Published records whose confirmation is overdue (last sent before <paramref name="sentBeforeNs"/>).</summary>
    public List<OutboxRecord> Overdue(long sentBeforeNs)
    {
        lock (_gate)
        {
            return [.. _open.Values.Where(r => r.State == DeliveryState.Published && r.LastSentNs < sentBeforeNs)];
        }
    }

    /// <summary>Confirms rows <c>[from, to]</c> of a stream; every record they fully cover is done with.
    /// Returns the rows newly confirmed.</summary>
    public long Confirm(string stream, long from, long to)
    {
        long rows = 0;
        lock (_gate)
        {
            if (!_streams.TryGetValue(stream, out var book)) return 0;
            book.Confirmed.Add(from, to);
            _dirty = true;
            var records = book.Open;
            int i = LowerBound(records, from);
            var done = new List<OutboxRecord>();
            for (; i < records.Count && records[i].FirstSeq <= to; i++)
            {
                var r = records[i];
                if (book.Confirmed.Contains(r.FirstSeq, r.LastSeq)) done.Add(r);
            }
            foreach (var r in done)
            {
                rows += r.Count;
                Forget(r, DeliveryState.Confirmed);
            }
            if (done.Count > 0) book.LastConfirmedNs = UtcTimestamp.ToNanoseconds(_time.GetUtcNow());
            ConfirmedRows += rows;
        }
        return rows;
    }

    /// <summary>When ingest last confirmed anything of a stream (ns since the epoch), 0 if never in this process.</summary>
    public long LastConfirmedNs(string stream)
    {
        lock (_gate) return _streams.TryGetValue(stream, out var book) ? book.LastConfirmedNs : 0;
    }

    /// <summary>Every seq of a stream below this is confirmed or was given up (0 for an unknown stream).</summary>
    public long HandledBelow(string stream)
    {
        lock (_gate) return _streams.TryGetValue(stream, out var book) ? book.Confirmed.HandledBelow : 0;
    }

    /// <summary>Marks a record confirmed by the broker alone (confirmation mode <c>broker</c>).</summary>
    public void ConfirmRecord(OutboxRecord record) => Confirm(record.Stream, record.FirstSeq, record.LastSeq);

    /// <summary>Gives up on a record that could not be delivered after every allowed attempt; its rows count as lost.</summary>
    public void Abandon(OutboxRecord record)
    {
        lock (_gate)
        {
            if (!_open.ContainsKey(record.Id)) return;
            Book(record.Stream).DroppedRows += record.Count;
            RowsGivenUp += record.Count;
            Forget(record, DeliveryState.Confirmed);
            _dirty = true;
        }
        LogAbandoned(record.Stream, record.FirstSeq, record.LastSeq, record.Sends);
    }

    /// <summary>Rows confirmed since this process opened the buffer.</summary>
    public long ConfirmedRows { get; private set; }

    /// <summary>Rows lost since this process opened the buffer because it was full (its oldest segment dropped).</summary>
    public long RowsDroppedFull { get; private set; }

    /// <summary>Rows given up since this process opened the buffer (refused by the broker, or never confirmed).</summary>
    public long RowsGivenUp { get; private set; }

    /// <summary>The most bytes the buffer holds on disk.</summary>
    public long CapacityBytes => _options.MaxBytes;

    /// <summary>A snapshot of the buffer's contents and losses.</summary>
    public OutboxStatistics Statistics(long backlogBeforeNs)
    {
        lock (_gate)
        {
            long unconfirmed = 0, backlog = 0, oldest = long.MaxValue;
            foreach (var r in _open.Values)
            {
                unconfirmed += r.Count;
                oldest = Math.Min(oldest, r.AppendedAtNs);
                if (r.State == DeliveryState.Unsent && r.AppendedAtNs < backlogBeforeNs) backlog += r.Count;
            }
            return new OutboxStatistics(
                UnconfirmedRows: unconfirmed,
                UnconfirmedRecords: _open.Count,
                BacklogRows: backlog,
                BufferedBytes: _segments.Values.Sum(s => s.Bytes),
                DroppedRows: _streams.Values.Sum(b => b.DroppedRows),
                OldestUnconfirmedNs: oldest == long.MaxValue ? 0 : oldest);
        }
    }

    /// <summary>Writes the confirmation state if it changed, and fsyncs if due. Cheap when nothing changed.</summary>
    public void Checkpoint()
    {
        lock (_gate)
        {
            if (_disposed) return;
            MaybeFsync();
            if (!_dirty) return;
            var state = new OutboxState();
            foreach (var (id, book) in _streams)
            {
                state.Streams[id] = new OutboxState.StreamState
                {
                    NextSeq = book.NextSeq,
                    DroppedRows = book.DroppedRows,
                    HandledBelow = book.Confirmed.HandledBelow,
                    Confirmed = [.. book.Confirmed.Intervals.Select(iv => new[] { iv.From, iv.To })],
                };
            }
            state.Save(_statePath);
            _dirty = false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Checkpoint();
        lock (_gate)
        {
            if (_disposed) return;
            _writer.Flush(flushToDisk: true);
            _writer.Dispose();
            _disposed = true;
        }
    }

    private void Recover()
    {
        var state = OutboxState.Load(_statePath);
        foreach (var (id, saved) in state.Streams)
        {
            var book = Book(id);
            book.NextSeq = saved.NextSeq;
            book.DroppedRows = saved.DroppedRows;
            book.Confirmed.SetHandledBelow(saved.HandledBelow);
            foreach (var iv in saved.Confirmed.Where(iv => iv.Length == 2)) book.Confirmed.Add(iv[0], iv[1]);
        }
        var files = Directory.GetFiles(_options.Directory, "*.seg")
            .Select(f => (Path: f, Index: int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1))
            .Where(f => f.Index >= 0)
            .OrderBy(f => f.Index)
            .ToList();
        for (int i = 0; i < files.Count; i++)
        {
            var segment = new Segment(files[i].Index, files[i].Path);
            _segments[segment.Index] = segment;
            ReadSegment(segment, isLast: i == files.Count - 1);
        }
        // Segments whose records are all confirmed are no longer needed (the newest stays open for appending).
        foreach (var segment in _segments.Values.Where(s => s.Unconfirmed == 0).ToList())
        {
            if (segment.Index == _segments.Keys.Max()) continue;
            DeleteSegment(segment);
        }
        if (_segments.Count == 0) OpenSegment(0);
        else
        {
            _current = _segments.Values.Last();
            _writer = new FileStream(_current.Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        }
        _dirty = true;
        Checkpoint();
        var stats = Statistics(long.MaxValue);
        if (stats.UnconfirmedRecords > 0) LogRecovered(stats.UnconfirmedRecords, stats.UnconfirmedRows, _segments.Count);
    }

    private void ReadSegment(Segment segment, bool isLast)
    {
        using var file = new FileStream(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var header = new byte[FixedHeader + 255];
        long offset = 0;
        while (offset < file.Length)
        {
            file.Position = offset;
            if (!TryReadRecord(file, header, out var parsed, out int total))
            {
                if (isLast)
                {
                    // A record cut short by a kill or crash: the tail is garbage; cut it off and carry on appending there.
                    LogTruncated(segment.Path, offset, file.Length - offset);
                    file.SetLength(offset);
                }
                else
                {
                    LogCorrupt(segment.Path, offset);
                }
                break;
            }
            var (channel, stream, firstSeq, count, appendedNs, payloadOffset, payloadLength) = parsed;
            var book = Book(stream);
            book.NextSeq = Math.Max(book.NextSeq, firstSeq + count);
            if (!book.Confirmed.Contains(firstSeq, firstSeq + count - 1))
            {
                var record = new OutboxRecord(_nextId++, channel, stream, firstSeq, count, appendedNs, segment.Index, offset, payloadOffset, payloadLength);
                segment.Records++;
                Track(record, segment);
            }
            offset += total;
        }
        segment.Bytes = offset;
    }

    private static bool TryReadRecord(FileStream file, byte[] header, out (TopicChannel, string, long, int, long, int, int) parsed, out int total)
    {
        parsed = default;
        total = 0;
        long start = file.Position;
        if (file.Length - start < FixedHeader) return false;
        file.ReadExactly(header, 0, 11);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return false;
        int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        int streamLength = header[10];
        if (length < FixedHeader + streamLength || start + length + 4 > file.Length) return false;
        var whole = new byte[length + 4];
        file.Position = start;
        file.ReadExactly(whole);
        if (Crc32.Compute(whole.AsSpan(8, length - 8)) != BinaryPrimitives.ReadUInt32LittleEndian(whole.AsSpan(length))) return false;
        var span = whole.AsSpan();
        var channel = (TopicChannel)span[9];
        var stream = Encoding.ASCII.GetString(span.Slice(11, streamLength));
        int p = 11 + streamLength;
        long firstSeq = BinaryPrimitives.ReadInt64LittleEndian(span[p..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 8)..]);
        long appended = BinaryPrimitives.ReadInt64LittleEndian(span[(p + 12)..]);
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 20)..]);
        if (p + 24 + payloadLength != length || count <= 0 || firstSeq < 0) return false;
        parsed = (channel, stream, firstSeq, count, appended, p + 24, payloadLength);
        total = length + 4;
        return true;
    }

    private static int WriteHeader(Span<byte> span, TopicChannel channel, byte[] stream, long firstSeq, int count, long appendedNs, int payloadLength)
    {
        int length = FixedHeader + stream.Length + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], length);
        span[8] = 1;
        span[9] = (byte)channel;
        span[10] = (byte)stream.Length;
        stream.CopyTo(span[11..]);
        int p = 11 + stream.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[p..], firstSeq);
        BinaryPrimitives.WriteInt32LittleEndian(span[(p + 8)..], count);
        BinaryPrimitives.WriteInt64LittleEndian(span[(p + 12)..], appendedNs);
        BinaryPrimitives.WriteInt32LittleEndian(span[(p + 20)..], payloadLength);
        return p + 24;
    }

    private void Track(OutboxRecord record, Segment? segment = null)
    {
        _open[record.Id] = record;
        _unsent.Add(record.Id);
        Book(record.Stream).Open.Add(record);
        (segment ?? _current).Unconfirmed++;
    }

    private void Forget(OutboxRecord record, DeliveryState final)
    {
        if (!_open.Remove(record.Id)) return;
        record.State = final;
        _unsent.Remove(record.Id);
        var book = Book(record.Stream);
        var open = book.Open;
        int i = LowerBound(open, record.FirstSeq);
        if (i < open.Count && open[i].Id == record.Id) open.RemoveAt(i);
        else open.Remove(record);
        // Everything below the oldest open record is done with (confirmed, dropped or given up), so a restart must
        // not bring any of it back even if its segment still holds it.
        book.Confirmed.SetHandledBelow(open.Count > 0 ? open[0].FirstSeq : book.NextSeq);
        if (_segments.TryGetValue(record.Segment, out var segment) && --segment.Unconfirmed == 0 && segment != _current) DeleteSegment(segment);
    }

    private void EnforceBound()
    {
        while (_segments.Count > 1 && _segments.Values.Sum(s => s.Bytes) > _options.MaxBytes)
        {
            var oldest = _segments.Values.First();
            var lost = _open.Values.Where(r => r.Segment == oldest.Index).ToList();
            foreach (var r in lost)
            {
                Book(r.Stream).DroppedRows += r.Count;
                RowsDroppedFull += r.Count;
                Forget(r, DeliveryState.Confirmed);
            }
            if (_segments.ContainsKey(oldest.Index)) DeleteSegment(oldest);
            _dirty = true;
            LogDropped(lost.Sum(r => (long)r.Count), oldest.Path, _options.MaxBytes);
        }
    }

    private void Roll()
    {
        _writer.Flush(flushToDisk: true);
        _writer.Dispose();
        var previous = _current;
        OpenSegment(_current.Index + 1);
        if (previous.Unconfirmed == 0) DeleteSegment(previous);
    }

    private void OpenSegment(int index)
    {
        var segment = new Segment(index, Path.Combine(_options.Directory, $"{index:D10}.seg"));
        _segments[index] = segment;
        _current = segment;
        _writer = new FileStream(segment.Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        segment.Bytes = _writer.Length;
    }

    private void DeleteSegment(Segment segment)
    {
        _segments.Remove(segment.Index);
        File.Delete(segment.Path);
    }

    private void MaybeFsync()
    {
        long now = _time.GetTimestamp();
        if (_options.FsyncInterval == TimeSpan.Zero || _time.GetElapsedTime(_lastFsync, now) >= _options.FsyncInterval)
        {
            _writer.Flush(flushToDisk: true);
            _lastFsync = now;
        }
    }

    private StreamBook Book(string stream)
    {
        if (!_streams.TryGetValue(stream, out var book)) _streams[stream] = book = new StreamBook();
        return book;
    }

    private static int LowerBound(List<OutboxRecord> records, long seq)
    {
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (records[mid].LastSeq < seq) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private sealed class Segment(int index, string path)
    {
        public int Index { get; } = index;
        public string Path { get; } = path;
        public long Bytes { get; set; }
        public int Records { get; set; }
        public int Unconfirmed { get; set; }
    }

    private sealed class StreamBook
    {
        public long NextSeq { get; set; }
        public long LastConfirmedNs { get; set; }
        public long DroppedRows { get; set; }
        public SeqIntervals Confirmed { get; } = new();
        public List<OutboxRecord> Open { get; } = [];
    }

    [LoggerMessage(1101, LogLevel.Information, "Buffer recovered {Records} unconfirmed records ({Rows} rows) in {Segments} segments; they will be sent again.")]
    private partial void LogRecovered(int records, long rows, int segments);

    [LoggerMessage(1102, LogLevel.Warning, "Buffer segment {Path}: cut a torn record at byte {Offset} ({Bytes} bytes); the gateway stopped mid-write.")]
    private partial void LogTruncated(string path, long offset, long bytes);

    [LoggerMessage(1103, LogLevel.Error, "Buffer segment {Path} is corrupt at byte {Offset}; the rest of that segment is skipped.")]
    private partial void LogCorrupt(string path, long offset);

    [LoggerMessage(1104, LogLevel.Error, "Buffer full ({MaxBytes} bytes): dropped the oldest segment {Path} with {Rows} unconfirmed rows. They are lost and counted.")]
    private partial void LogDropped(long rows, string path, long maxBytes);

    [LoggerMessage(1105, LogLevel.Error, "Gave up on rows {From}..{To} of stream {Stream} after {Sends} sends without confirmation; they are counted as lost.")]
    private partial void LogAbandoned(string stream, long from, long to, int sends);
}

/// <summary>What the buffer holds and has lost.</summary>
public readonly record struct OutboxStatistics(long UnconfirmedRows, int UnconfirmedRecords, long BacklogRows, long BufferedBytes, long DroppedRows, long OldestUnconfirmedNs);
