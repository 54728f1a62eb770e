using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Telemetry.Tests.Influx;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("720h0m0s", 720 * 60)]
    [InlineData("1h30m0s", 90)]
    [InlineData("0s", 0)]
    [InlineData("17520h0m0s", 17520 * 60)]
    public void InfluxDbDurations_ReadAsTheirMinutes(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), GoDuration.Parse(text));

    [Fact]
    public void Milliseconds_AreNotMistakenForMinutes() => Assert.Equal(TimeSpan.FromMilliseconds(1500), GoDuration.Parse("1s500ms"));

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("12")]
    [InlineData("3d")]
    public void SomethingElse_IsRefused(string text) => Assert.Throws<FormatException>(() => GoDuration.Parse(text));
}
