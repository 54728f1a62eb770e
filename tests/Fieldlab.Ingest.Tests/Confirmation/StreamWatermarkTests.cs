using Fieldlab.Ingest.Confirmation;

namespace Fieldlab.Ingest.Tests.Confirmation;

/// <summary>The stored-through rule: the watermark is the <c>through</c> of the newest head whose <c>next_seq</c> the
/// contiguous handled prefix has reached — never past a gap, a restart's fresh numbering, or a backlog not yet stored.</summary>
public sealed class StreamWatermarkTests
{
    private const long S = 1_000_000_000; // one second in ns; row i of these streams is sampled at i s

    [Fact]
    public void Stored_WithoutAnyHead_KnowsNoWatermark()
    {
        var w = new StreamWatermark();
        w.Stored(0, 99);
        Assert.Null(w.ThroughNs);
    }

    [Fact]
    public void Announced_BeforeItsRowsAreStored_WaitsForThem_ThenMovesToItsThrough()
    {
        var w = new StreamWatermark();
        Assert.False(w.Announced(nextSeq: 100, throughNs: 99 * S, handledBelow: 0));
        w.Stored(0, 49);
        Assert.Null(w.ThroughNs);
        Assert.True(w.Stored(50, 99));
        Assert.Equal(99 * S, w.ThroughNs);
    }

    [Fact]
    public void Stored_WithAGapInTheSeqs_StopsAtTheGap_UntilItIsFilled()
    {
        var w = new StreamWatermark();
        w.Announced(50, 49 * S, 0);
        w.Stored(0, 49);
        w.Announced(100, 99 * S, 0);
        w.Stored(60, 99);                       // 50..59 still on their way (a lost PUBACK, a resend)
        Assert.Equal(49 * S, w.ThroughNs);
        w.Stored(50, 59);
        Assert.Equal(99 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_AfterAnOfflineGatewayComesBackWithABacklog_DoesNotPassTheBacklogsStartUntilItIsStored()
    {
        var w = new StreamWatermark();
        w.Announced(100, 99 * S, 0);
        w.Stored(0, 99);
        Assert.Equal(99 * S, w.ThroughNs);
        // Offline from row 100 to 399: no announcements meanwhile. Back online, the live lane delivers the newest rows first.
        w.Announced(400, 399 * S, 100);
        w.Stored(390, 399);
        w.Announced(410, 409 * S, 100);
        w.Stored(400, 409);
        Assert.Equal(99 * S, w.ThroughNs);     // the backlog 100..389 is not stored yet
        w.Stored(100, 300);
        Assert.Equal(99 * S, w.ThroughNs);
        w.Stored(301, 389);
        Assert.Equal(409 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_WithHandledBelow_CoversSeqsAnotherReplicaStoredOrTheGatewayGaveUp()
    {
        var w = new StreamWatermark();
        w.Stored(50, 99);                       // this replica stored only its share
        w.Announced(100, 99 * S, 50);           // the gateway has 0..49 confirmed by another replica, or given up and counted
        Assert.Equal(99 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_HandledBelowBeyondItsOwnNextSeq_IsNotTrustedPastTheHead()
    {
        var w = new StreamWatermark();
        w.Announced(100, 99 * S, 500);
        Assert.Equal(100, w.Prefix);
    }

    [Fact]
    public void Announced_AfterAGatewayRestartWithItsBuffer_ContinuesTheNumbering()
    {
        var w = new StreamWatermark();
        w.Announced(100, 99 * S, 0);
        w.Stored(0, 99);
        // Restarted: the buffer's state says next seq 100; what was unconfirmed is sent again, then new rows follow.
        w.Announced(150, 200 * S, 100);
        Assert.Equal(99 * S, w.ThroughNs);
        w.Stored(100, 149);
        Assert.Equal(200 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_WithALowerNextSeq_StartsTheStoredSetOver_AndKeepsTheWatermark()
    {
        var w = new StreamWatermark();
        w.Announced(1000, 999 * S, 0);
        w.Stored(0, 999);
        Assert.Equal(999 * S, w.ThroughNs);
        // The buffer was deleted: seqs count from 0 again. The old prefix (1000) must not cover the new rows 0..19.
        w.Announced(20, 1100 * S, 0);
        Assert.Equal(999 * S, w.ThroughNs);
        Assert.Equal(0, w.Prefix);
        w.Stored(0, 19);
        Assert.Equal(1100 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_TheRetainedHeadAgain_ChangesNothing()
    {
        var w = new StreamWatermark();
        w.Announced(100, 99 * S, 0);
        w.Stored(0, 99);
        Assert.False(w.Announced(100, 99 * S, 100));
        Assert.Equal(99 * S, w.ThroughNs);
    }

    [Fact]
    public void Announced_MoreHeadsThanItKeeps_DropsTheOldest_AndStillNeverRunsAhead()
    {
        var w = new StreamWatermark();
        for (long i = 1; i <= StreamWatermark.MaxPendingHeads + 10; i++) w.Announced(i * 10, (i * 10 - 1) * S, 0);
        w.Stored(0, 49);                        // heads for 10..50 were dropped: nothing claimed yet, which is late, not wrong
        Assert.Null(w.ThroughNs);
        long last = (StreamWatermark.MaxPendingHeads + 10) * 10L;
        w.Stored(50, last - 1);
        Assert.Equal((last - 1) * S, w.ThroughNs);
    }

    [Fact]
    public void Watermark_OverManyRandomDeliveryOrders_NeverPassesARowThatIsNotStored()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var w = new StreamWatermark();
            const int rows = 300;
            var stored = new bool[rows];
            var messages = Enumerable.Range(0, rows / 10).Select(m => (From: m * 10, To: m * 10 + 9)).OrderBy(_ => random.Next()).ToList();
            int created = 0;
            foreach (var (from, to) in messages)
            {
                // The gateway keeps creating; its head follows what exists, its handled_below what it saw confirmed.
                created = Math.Min(rows, created + random.Next(0, 40));
                int handled = 0;
                while (handled < created && stored[handled]) handled++;
                w.Announced(created, (created - 1) * S, random.Next(3) == 0 ? handled : 0);
                for (int s = from; s <= to; s++) stored[s] = true;
                w.Stored(from, to);
                if (w.ThroughNs is { } t)
                {
                    for (int s = 0; s * S <= t; s++) Assert.True(stored[s], $"seed {seed}: watermark {t / S} s passes row {s}, not stored");
                }
            }
        }
    }
}
