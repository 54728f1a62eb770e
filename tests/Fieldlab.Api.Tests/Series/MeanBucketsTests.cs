using Fieldlab.Access.Rights;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Api.Tests.Series;

public sealed class MeanBucketsTests
{
    private static readonly DateTime H = new(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(60, "mean", "samples_means_1h")]
    [InlineData(180, "max", "samples_means_1h")]
    [InlineData(1440, "spread", "samples_means_1h")]
    [InlineData(120, "sum", "samples_means_1h")]
    public void For_TakesTheCoarsestMeansThatTileTheBucket(int minutes, string aggregate, string expected)
    {
        Assert.Equal(expected, MeanBuckets.For(FieldlabSchema.Samples, TimeSpan.FromMinutes(minutes), aggregate)?.Name);
    }

    [Theory]
    [InlineData(60, "median")]
    [InlineData(60, "stddev")]
    [InlineData(60, "first")]
    [InlineData(60, "last")]
    public void For_AnAggregationTheMeansCannotAnswer_ReadsRaw(int minutes, string aggregate)
    {
        Assert.Null(MeanBuckets.For(FieldlabSchema.Samples, TimeSpan.FromMinutes(minutes), aggregate));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(90)]
    [InlineData(60)]
    [InlineData(900)]
    [InlineData(5400)]
    public void For_BucketsOfSecondsOrMinutes_ReadRaw(int seconds)
    {
        // Minute buckets too: the raw points hold what the minute aggregates may lack (older data, late backlogs).
        Assert.Null(MeanBuckets.For(FieldlabSchema.Samples, TimeSpan.FromSeconds(seconds), "mean"));
    }

    [Fact]
    public void Whole_KeepsOnlyBucketsInsideOneWindow()
    {
        // Windows 10:30–13:30 and 14:00–15:00: whole hours 11:00, 12:00 and 14:00.
        var visible = WindowSet.Of([new TimeWindow(H.AddMinutes(30), H.AddHours(3.5)), new TimeWindow(H.AddHours(4), H.AddHours(5))]);
        var whole = MeanBuckets.Whole(visible, Hour, new DateTimeOffset(H.AddHours(-2)), new DateTimeOffset(H.AddHours(8)));
        var starts = Enumerable.Range(-2, 10).Select(h => H.AddHours(h)).Where(whole.Contains);
        Assert.Equal([H.AddHours(1), H.AddHours(2), H.AddHours(4)], starts);
    }

    [Fact]
    public void Whole_OfEverything_IsCutToTheRequest()
    {
        var whole = MeanBuckets.Whole(WindowSet.Everything, Hour, new DateTimeOffset(H.AddMinutes(10)), new DateTimeOffset(H.AddHours(3)));
        Assert.Equal([H.AddHours(1), H.AddHours(2)], Enumerable.Range(-1, 6).Select(h => H.AddHours(h)).Where(whole.Contains));
    }

    [Fact]
    public void Whole_OfAWindowShorterThanABucket_IsEmpty()
    {
        Assert.True(MeanBuckets.Whole(WindowSet.Of([new TimeWindow(H.AddMinutes(10), H.AddMinutes(50))]), Hour, new DateTimeOffset(H), new DateTimeOffset(H.AddHours(2))).IsEmpty);
    }

    [Fact]
    public void Fields_MergeMeansAsSumOverCount()
    {
        Assert.Equal("sum(\"sum_flow\") / sum(\"count_flow\") AS value, sum(\"count_flow\") AS n", MeanBuckets.Fields("mean", "flow"));
        Assert.Equal("max(\"max_flow\") - min(\"min_flow\") AS value, sum(\"count_flow\") AS n", MeanBuckets.Fields("spread", "flow"));
        Assert.Throws<ArgumentException>(() => MeanBuckets.Fields("median", "flow"));
        Assert.Throws<ArgumentException>(() => MeanBuckets.Fields("mean", "flow\" FROM x"));
    }
}
