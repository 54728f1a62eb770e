using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

public sealed class WireJsonTests
{
    private static RigBirth PumpBirth() => new()
    {
        Kind = "pump",
        Description = "test pump",
        Streams =
        [
            new StreamSpec
            {
                Id = "process",
                RateHz = 10,
                Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h", Min = 0, Max = 60 }, new SensorSpec { Id = "pressure", Unit = "bar" }],
            },
        ],
    };

    [Fact]
    public void Birth_RoundTripsInSnakeCase()
    {
        var json = WireJson.Encode(PumpBirth());
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains("\"rate_hz\":10", text);
        Assert.DoesNotContain("null", text);
        Assert.True(WireJson.TryDecodeBirth(json, out var back, out var error), error);
        Assert.Equal("flow", back!.Streams[0].Sensors[0].Id);
        Assert.Equal(60, back.Streams[0].Sensors[0].Max);
    }

    [Theory]
    [InlineData("""{"kind":"pump"}""", "streams")]
    [InlineData("""{"kind":"toaster","streams":[{"id":"p","rate_hz":1,"sensors":[{"id":"a","unit":"x"}]}]}""", "kind")]
    [InlineData("""{"kind":"pump","streams":[{"id":"p","rate_hz":0,"sensors":[{"id":"a","unit":"x"}]}]}""", "rate_hz")]
    [InlineData("""{"kind":"pump","streams":[{"id":"p","rate_hz":1,"sensors":[{"id":"a","unit":"x"},{"id":"a","unit":"y"}]}]}""", "twice")]
    [InlineData("""{"kind":"pump","streams":[{"id":"p","rate_hz":1,"sensors":[{"id":"Bad","unit":"x"}]}]}""", "sensors[0].id")]
    [InlineData("""{"kind":"pump","streams":[{"id":"p","rate_hz":1,"sensors":[{"id":"a","unit":"x","min":5,"max":1}]}]}""", "min")]
    [InlineData("""{"kind":"pump","streams":[{"id":"p","rate_hz":"fast","sensors":[]}]}""", "RigBirth")]
    [InlineData("not json", "RigBirth")]
    public void InvalidBirth_IsRejectedNamingTheProblem(string json, string mentions)
    {
        Assert.False(WireJson.TryDecodeBirth(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(mentions, error);
    }

    [Fact]
    public void Excerpt_IsBoundedAndPrintable()
    {
        var payload = Encoding.UTF8.GetBytes("line1\nline2\0" + new string('x', 2000));
        var excerpt = WireJson.Excerpt(payload, 100);
        Assert.StartsWith("line1\\u000Aline2\\u0000", excerpt);
        Assert.True(excerpt.Length <= 101);
        Assert.DoesNotContain('\n', excerpt);
    }
}
