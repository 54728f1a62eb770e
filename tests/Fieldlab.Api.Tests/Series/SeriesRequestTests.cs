using Fieldlab.Api.Series;

namespace Fieldlab.Api.Tests.Series;

public sealed class SeriesRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NoParameters_MeanTheLastFifteenMinutesRaw()
    {
        var request = SeriesRequest.TryParse(null, null, null, null, Now, out var errors);
        Assert.Empty(errors);
        Assert.Equal(Now - TimeSpan.FromMinutes(15), request!.From);
        Assert.Equal(Now, request.To);
        Assert.Null(request.Every);
        Assert.Null(request.Aggregate);
    }

    [Theory]
    [InlineData("now-1h", 60)]
    [InlineData("-30m", 30)]
    [InlineData("now-90s", 1.5)]
    public void RelativeTimes_CountBackFromNow(string from, double minutes)
    {
        var request = SeriesRequest.TryParse(from, "now", null, null, Now, out _);
        Assert.Equal(Now - TimeSpan.FromMinutes(minutes), request!.From);
    }

    [Fact]
    public void AbsoluteTimes_AreUtc()
    {
        var request = SeriesRequest.TryParse("2026-11-22T07:00:00Z", "2026-11-22T09:30:00+01:00", null, null, Now, out _);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero), request!.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.Zero), request.To);
    }

    [Fact]
    public void Every_DefaultsTheAggregateToMean()
    {
        var request = SeriesRequest.TryParse(null, null, "10s", null, Now, out _);
        Assert.Equal(TimeSpan.FromSeconds(10), request!.Every);
        Assert.Equal("mean", request.Aggregate);
    }

    [Theory]
    [InlineData("yesterday", null, null, null, "from")]
    [InlineData(null, "soon", null, null, "to")]
    [InlineData(null, null, "0s", null, "every")]
    [InlineData(null, null, "10 parsecs", null, "every")]
    [InlineData(null, null, "10s", "avg", "agg")]
    [InlineData(null, null, null, "max", "agg")]
    [InlineData("now", "now-1h", null, null, "from")]
    [InlineData("now-30d", null, "1ms", null, "every")]
    [InlineData("mean(flow) FROM x; --", null, null, null, "from")]
    public void BadParameters_AreReportedByName(string? from, string? to, string? every, string? agg, string key)
    {
        Assert.Null(SeriesRequest.TryParse(from, to, every, agg, Now, out var errors));
        Assert.Contains(key, errors.Keys);
    }
}
