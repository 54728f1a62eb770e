using Fieldlab.Ingest.Monitoring;

namespace Fieldlab.Ingest.Tests.Monitoring;

public sealed class LatencyWindowTests
{
    [Fact]
    public void Restart_LeavesTheHistogramAndEveryOtherWindowUntouched()
    {
        var histogram = new LatencyHistogram();
        var report = new LatencyWindow(histogram);   // as ingest_stats' interval
        var stats = new LatencyWindow(histogram);    // as /stats since /stats/reset
        for (int i = 0; i < 100; i++) histogram.Add(1000);
        double before = histogram.Percentile(0.99);

        report.Restart();

        Assert.Equal(100, histogram.Count);
        Assert.Equal(before, histogram.Percentile(0.99));
        Assert.Equal(100, stats.Count);
        Assert.Equal(before, stats.Percentile(0.99));
        Assert.Equal(0, report.Count);
        Assert.Equal(0, report.Percentile(0.99));
    }

    [Fact]
    public void Percentile_CoversOnlyTheObservationsSinceTheRestart()
    {
        var histogram = new LatencyHistogram();
        var window = new LatencyWindow(histogram);
        for (int i = 0; i < 1000; i++) histogram.Add(500);   // a slow phase before the window
        window.Restart();
        for (int i = 0; i < 10; i++) histogram.Add(2);        // the window's fast observations

        Assert.Equal(10, window.Count);
        // Bucket upper edges: at most 26 % above the value (10 buckets per decade).
        Assert.InRange(window.Percentile(0.99), 2, 2 * 1.26);
        Assert.InRange(histogram.Percentile(0.5), 500, 500 * 1.26);
        Assert.Equal(1010, histogram.Count);
    }
}
