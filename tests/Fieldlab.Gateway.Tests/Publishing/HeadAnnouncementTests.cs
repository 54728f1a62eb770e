using Fieldlab.Gateway.Buffering;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Gateway.Tests.Publishing;

/// <summary>The gateway's head: per stream the next seq and the newest row's sample time as written to the buffer, and
/// what the buffer has seen confirmed — only when ingest confirms.</summary>
public sealed class HeadAnnouncementTests : IDisposable
{
    private readonly TempDirectory _dir = new("head");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_AfterRowsAndConfirmations_AnnouncesNextSeqNewestTimeAndHandledBelow()
    {
        using var outbox = Outbox.Open(new OutboxOptions { Directory = _dir.Path, FsyncInterval = TimeSpan.Zero }, TimeProvider.System, NullLogger.Instance);
        var writer = new OutboxWriter(outbox, maxRowsPerBatch: 10);
        var now = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        Assert.Null(HeadAnnouncement.Build(writer, confirmedByIngest: true, now));

        long t0 = UtcTimestamp.ToNanoseconds(now);
        long[] times = [.. Enumerable.Range(0, 25).Select(i => t0 + i * 100_000_000L)];
        writer.AppendRows("process", ["flow"], times, [.. Enumerable.Range(0, 25).Select(i => (double)i)]);
        outbox.Confirm("process", 0, 9);

        var head = HeadAnnouncement.Build(writer, confirmedByIngest: true, now)!;
        Assert.Equal(new StreamHead("process", 25, UtcTimestamp.Format(times[^1]), 10), head.Streams.Single());
        Assert.Null(HeadAnnouncement.Build(writer, confirmedByIngest: false, now)!.Streams.Single().HandledBelow);
    }
}
