using System.Net;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Testing;
using Microsoft.Extensions.Options;

namespace Fieldlab.Telemetry.Tests.Hosting;

public sealed class ScrapeAccessTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Refusal_LoopbackPeerWithoutCredential_IsServed(string address)
    {
        var access = new ScrapeAccess(Options.Create(new ScrapeOptions()));
        Assert.Null(access.Refusal(IPAddress.Parse(address), null));
        Assert.Null(access.Refusal(IPAddress.Parse(address), "Bearer flt_a-persons-token")); // on the API: a person's token, not looked at
    }

    [Fact]
    public void Refusal_InProcessPeerWithoutAddress_IsServed() =>
        Assert.Null(new ScrapeAccess(Options.Create(new ScrapeOptions())).Refusal(null, null));

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("fe80::1")]
    public void Refusal_RemotePeer_WithoutAConfiguredCredential_IsRefused(string address)
    {
        var access = new ScrapeAccess(Options.Create(new ScrapeOptions()));
        Assert.Contains("loopback", access.Refusal(IPAddress.Parse(address), "Bearer anything-at-all-here"));
    }

    [Fact]
    public void Refusal_RemotePeer_IsServedWithTheCredentialOnly()
    {
        using var dir = new TempDirectory("scrape");
        File.WriteAllText(dir.File("token"), "the-scrape-credential-0123456789\n");
        var access = new ScrapeAccess(Options.Create(new ScrapeOptions { TokenFile = dir.File("token") }));
        Assert.Null(access.Refusal(Remote, "Bearer the-scrape-credential-0123456789"));
        Assert.Null(access.Refusal(Remote, "bearer the-scrape-credential-0123456789"));
        Assert.NotNull(access.Refusal(Remote, null));
        Assert.NotNull(access.Refusal(Remote, "Bearer the-scrape-credential-012345678"));
        Assert.NotNull(access.Refusal(Remote, "Basic dGhlLXNjcmFwZS1jcmVkZW50aWFs"));
        Assert.NotNull(access.Refusal(Remote, "Bearer "));
    }

    [Fact]
    public void Validate_MissingOrEmptyTokenFile_NamesTheKey()
    {
        using var dir = new TempDirectory("scrape");
        Assert.Empty(new ScrapeOptions().Validate());
        Assert.StartsWith("TokenFile:", Assert.Single(new ScrapeOptions { TokenFile = dir.File("missing") }.Validate()));
        File.WriteAllText(dir.File("short"), "short\n");
        Assert.Contains("16 characters", Assert.Single(new ScrapeOptions { TokenFile = dir.File("short") }.Validate()));
    }
}
