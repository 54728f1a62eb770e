using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

public sealed class UtcTimestampTests
{
    private static bool Parse(string s, out long ns) => UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(s), out ns);

    [Theory]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("1970-01-01T00:00:01.5Z", 1_500_000_000L)]
    [InlineData("2026-11-22T07:06:23.123456Z", 1_795_331_183_123_456_000L)]
    [InlineData("2026-11-22T07:06:23.123456789Z", 1_795_331_183_123_456_789L)]
    [InlineData("1969-12-31T23:59:59.999999Z", -1_000L)]
    [InlineData("2024-02-29T00:00:00Z", 1_709_164_800_000_000_000L)]
    public void ValidTimestamps_ParseToNanoseconds(string text, long expected)
    {
        Assert.True(Parse(text, out long ns));
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData("2026-11-22T07:06:23.123456+01:00")]
    [InlineData("2026-11-22 07:06:23Z")]
    [InlineData("2026-11-22T07:06:23")]
    [InlineData("2026-11-22T07:06:23.Z")]
    [InlineData("2026-11-22T07:06:23.1234567890Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-11-22T24:00:00Z")]
    [InlineData("")]
    [InlineData("1795331183")]
    public void InvalidTimestamps_AreRejected(string text)
    {
        Assert.False(Parse(text, out _));
    }

    [Theory]
    [InlineData(1_795_331_183_123_456_000L, "2026-11-22T07:06:23.123456Z")]
    [InlineData(1_795_331_183_123_456_789L, "2026-11-22T07:06:23.123456789Z")]
    [InlineData(0L, "1970-01-01T00:00:00.000000Z")]
    [InlineData(-1_000L, "1969-12-31T23:59:59.999999Z")]
    public void Format_WritesMicrosecondsOrNanoseconds(long ns, string expected)
    {
        Assert.Equal(expected, UtcTimestamp.Format(ns));
    }

    [Fact]
    public void FormatThenParse_RoundTripsManyInstants()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            long ns = random.NextInt64(-2_000_000_000_000_000_000L, 4_000_000_000_000_000_000L);
            Assert.True(Parse(UtcTimestamp.Format(ns), out long back), $"seed 7, case {i}: {ns}");
            Assert.Equal(ns, back);
        }
    }
}
