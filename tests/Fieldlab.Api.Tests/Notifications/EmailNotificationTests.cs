using System.Net;
using System.Net.Http.Json;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;

namespace Fieldlab.Api.Tests.Notifications;

/// <summary>Alerts published on the real broker reach the e-mail address of who may see the rig, through the
/// configured SMTP server (a throwaway one the test runs), with what the alert says; nobody else gets mail.</summary>
[Collection("servers")]
public sealed class EmailNotificationTests(ServersFixture servers) : IAsyncLifetime
{
    private SmtpListener _smtp = null!;
    private ApiUnderTest _api = null!;
    private AlertPublisher _publisher = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _smtp = new SmtpListener();
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync, settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(),
            ["Notifications:Smtp:From"] = "fieldlab@lab.test",
            ["Notifications:Smtp:UseTls"] = "false",
            ["Notifications:ConsoleUrl"] = "https://fieldlab.lab.test",
        });
        _publisher = await AlertPublisher.ConnectAsync(_api);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _api.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task SubscribeAsync(string user, string email)
    {
        using var client = _api.Client(await _api.TokenAsync(user));
        using var response = await client.PutAsJsonAsync("/api/me/notifications", new { enabled = true, email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnAlert_IsMailedToWhoMaySeeIt_WithWhatItSays_AndToNobodyElse()
    {
        await SubscribeAsync("teacher", "teacher@lab.test");
        await SubscribeAsync("member", "member@company.test"); // may not see rig-1

        var alert = await _publisher.PublishAsync(SmallTenancy.Rig, "bearing", "raised");
        await Eventually.HoldsAsync(() => Task.FromResult(_smtp.Messages.Count == 1), TimeSpan.FromSeconds(20));
        var mail = _smtp.Messages.Single();
        Assert.Equal("fieldlab@lab.test", mail.From);
        Assert.Equal(["teacher@lab.test"], mail.To);
        Assert.Equal("[Fieldlab] bearing alert raised on lab/rig-1: bearing", mail.Header("Subject"));
        var text = mail.Text;
        Assert.Contains(alert.Summary, text);
        Assert.Contains(alert.T, text);
        Assert.Contains("Occurrence: bearing@", text);
        Assert.Contains("https://fieldlab.lab.test/api/sites/lab/rigs/rig-1/alerts", text);

        await _publisher.PublishAsync(SmallTenancy.Rig, "rul-stack", "raised", kind: "rul");
        await Eventually.HoldsAsync(() => Task.FromResult(_smtp.Messages.Count == 2), TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        Assert.All(_smtp.Messages, m => Assert.Equal(["teacher@lab.test"], m.To));
    }
}
