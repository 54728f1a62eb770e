using System.Text;
using Fieldlab.Gateway.Buffering;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Gateway.Tests.Buffering;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new("outbox");

    public void Dispose() => _dir.Dispose();

    private Outbox Open(long maxBytes = 1 << 20, long segmentBytes = 64 * 1024) => Outbox.Open(new OutboxOptions
    {
        Directory = _dir.Path,
        MaxBytes = maxBytes,
        SegmentBytes = segmentBytes,
        FsyncInterval = TimeSpan.Zero,
    }, TimeProvider.System, NullLogger.Instance);

    private static byte[] Payload(long seq, int size = 100) => Encoding.ASCII.GetBytes($"{seq}:".PadRight(size, 'x'));

    private static void AppendRows(Outbox outbox, string stream, int records, int rowsEach = 10)
    {
        for (int i = 0; i < records; i++)
        {
            long seq = outbox.NextSeq(stream);
            outbox.Append(TopicChannel.Samples, stream, seq, rowsEach, Payload(seq));
        }
    }

    [Fact]
    public void AppendedRecords_ComeBackInOrder_WithTheirPayloads()
    {
        using var outbox = Open();
        AppendRows(outbox, "process", 5);
        var seen = new List<long>();
        while (outbox.TakeNext(long.MaxValue, allowBacklog: true, out _) is { } r)
        {
            Assert.StartsWith($"{r.FirstSeq}:", Encoding.ASCII.GetString(outbox.ReadPayload(r)));
            seen.Add(r.FirstSeq);
        }
        Assert.Equal([0L, 10, 20, 30, 40], seen);
        Assert.Equal(50, outbox.NextSeq("process"));
    }

    [Fact]
    public void SequenceNumbers_ContinueAcrossARestart_AndUnconfirmedRecordsAreRecovered()
    {
        using (var outbox = Open())
        {
            AppendRows(outbox, "process", 10);
            outbox.Confirm("process", 0, 49);
        }
        using var reopened = Open();
        Assert.Equal(100, reopened.NextSeq("process"));
        var stats = reopened.Statistics(0);
        Assert.Equal(50, stats.UnconfirmedRows);
        var first = reopened.TakeNext(long.MaxValue, true, out _);
        Assert.Equal(50, first!.FirstSeq);
    }

    [Fact]
    public void TornLastRecord_IsCutOff_AndTheRestIsKept()
    {
        using (var outbox = Open()) AppendRows(outbox, "process", 3);
        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        // A kill in the middle of a write: the last record is incomplete.
        using (var file = new FileStream(segment, FileMode.Open)) file.SetLength(file.Length - 17);
        using var reopened = Open();
        Assert.Equal(20, reopened.Statistics(0).UnconfirmedRows);
        // The torn rows' numbers are not reused: the gap in sequence numbers is the record of what was lost.
        Assert.Equal(30, reopened.NextSeq("process"));
        AppendRows(reopened, "process", 1);
        Assert.Equal(30, reopened.Statistics(0).UnconfirmedRows);
    }

    [Fact]
    public void CorruptedRecord_IsDetectedByItsChecksum()
    {
        using (var outbox = Open()) AppendRows(outbox, "process", 3);
        var segment = Directory.GetFiles(_dir.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[^20] ^= 0xFF; // flip bits inside the last payload
        File.WriteAllBytes(segment, bytes);
        using var reopened = Open();
        Assert.Equal(20, reopened.Statistics(0).UnconfirmedRows);
    }

    [Fact]
    public void ConfirmedSegments_AreDeleted()
    {
        using var outbox = Open(segmentBytes: 1024);
        AppendRows(outbox, "process", 50);
        Assert.True(Directory.GetFiles(_dir.Path, "*.seg").Length > 3);
        outbox.Confirm("process", 0, 499);
        Assert.Single(Directory.GetFiles(_dir.Path, "*.seg"));
        Assert.Equal(0, outbox.Statistics(0).UnconfirmedRows);
    }

    [Fact]
    public void ConfirmationsOutOfOrder_SurviveARestart_WhileTheirSegmentStillHoldsOlderRecords()
    {
        using (var outbox = Open())
        {
            AppendRows(outbox, "process", 10);
            outbox.Confirm("process", 0, 29);
            outbox.Confirm("process", 50, 69);
        }
        using var reopened = Open();
        var pending = new List<long>();
        while (reopened.TakeNext(long.MaxValue, true, out _) is { } r) pending.Add(r.FirstSeq);
        Assert.Equal([30L, 40, 70, 80, 90], pending);
    }

    [Fact]
    public void ConfirmationsInPieces_AddUp()
    {
        using var outbox = Open();
        AppendRows(outbox, "process", 1, rowsEach: 100);
        outbox.Confirm("process", 0, 49);
        Assert.Equal(100, outbox.Statistics(0).UnconfirmedRows);
        outbox.Confirm("process", 50, 99);
        Assert.Equal(0, outbox.Statistics(0).UnconfirmedRows);
    }

    [Fact]
    public void FullBuffer_DropsTheOldestData_AndCountsIt_PersistentlyAcrossRestarts()
    {
        using (var outbox = Open(maxBytes: 8 * 1024, segmentBytes: 1024))
        {
            AppendRows(outbox, "process", 200);
            var stats = outbox.Statistics(0);
            Assert.True(stats.DroppedRows > 0);
            Assert.True(stats.BufferedBytes <= 8 * 1024 + 1024);
            Assert.Equal(2000, stats.DroppedRows + stats.UnconfirmedRows);
        }
        using var reopened = Open(maxBytes: 8 * 1024, segmentBytes: 1024);
        var again = reopened.Statistics(0);
        Assert.Equal(2000, again.DroppedRows + again.UnconfirmedRows);
    }

    [Fact]
    public void LiveLane_TakesYoungRecordsFirst_BacklogTheOldestWhenAllowed()
    {
        using var outbox = Open();
        AppendRows(outbox, "process", 3);
        long cutoff = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) + 1;
        Thread.Sleep(5);
        AppendRows(outbox, "process", 2);
        var live = outbox.TakeNext(cutoff, allowBacklog: false, out bool isBacklog);
        Assert.Equal(30, live!.FirstSeq);
        Assert.False(isBacklog);
        var old = outbox.TakeNext(long.MaxValue, allowBacklog: true, out isBacklog);
        Assert.Equal(0, old!.FirstSeq);
        Assert.True(isBacklog);
    }

    [Fact]
    public void RequeuedRecord_IsSentAgain_AndAbandonedOneCountsAsLost()
    {
        using var outbox = Open();
        AppendRows(outbox, "process", 2);
        var a = outbox.TakeNext(long.MaxValue, true, out _)!;
        outbox.Requeue(a);
        Assert.Equal(a.Id, outbox.TakeNext(long.MaxValue, true, out _)!.Id);
        Assert.Equal(2, a.Sends);
        outbox.Abandon(a);
        Assert.Equal(10, outbox.Statistics(0).DroppedRows);
    }

    [Fact]
    public void StreamsKeepTheirOwnSequences()
    {
        using var outbox = Open();
        AppendRows(outbox, "process", 2);
        AppendRows(outbox, "truth", 3, rowsEach: 1);
        Assert.Equal(20, outbox.NextSeq("process"));
        Assert.Equal(3, outbox.NextSeq("truth"));
        Assert.Throws<InvalidOperationException>(() => outbox.Append(TopicChannel.Samples, "process", 5, 1, Payload(5)));
    }
}
