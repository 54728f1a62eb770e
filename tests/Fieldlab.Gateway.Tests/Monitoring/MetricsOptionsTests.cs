using Fieldlab.Gateway.Monitoring;

namespace Fieldlab.Gateway.Tests.Monitoring;

public sealed class MetricsOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:9464")]
    [InlineData("http://0.0.0.0:9464")]
    public void Validate_NoneOrAnHttpHostAndPort_IsAccepted(string? listen) =>
        Assert.Empty(new MetricsOptions { Listen = listen }.Validate());

    [Theory]
    [InlineData("9464")]
    [InlineData("127.0.0.1:9464")]
    [InlineData("https://127.0.0.1:9464")]
    [InlineData("http://127.0.0.1:9464/metrics")]
    public void Validate_AnythingElse_NamesTheKeyAndAnExample(string listen)
    {
        var problem = Assert.Single(new MetricsOptions { Listen = listen }.Validate());
        Assert.StartsWith("Listen:", problem);
        Assert.Contains("http://127.0.0.1:9464", problem);
    }
}
