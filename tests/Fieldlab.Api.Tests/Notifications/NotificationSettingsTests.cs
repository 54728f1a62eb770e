using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tests.Notifications;

/// <summary>A person's notification settings (<c>/api/me/notifications</c>): the webhook secret is shown once, bad
/// settings are refused whole naming each field and what was stored stays, e-mail is refused while no SMTP server is
/// configured, and webhooks into the API's own network are refused unless allowed.</summary>
[Collection("servers")]
public sealed class NotificationSettingsTests(ServersFixture servers) : IAsyncLifetime
{
    private ApiUnderTest _api = null!;
    private HttpClient _teacher = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync);
        _teacher = _api.Client(await _api.TokenAsync("teacher"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _teacher.Dispose();
        await _api.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(object body)
    {
        using var response = await _teacher.PutAsJsonAsync("/api/me/notifications", body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task WebhookSecret_IsShownOnce_KeptOnLaterChanges_AndRotatedOnRequest()
    {
        var initial = await _teacher.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        Assert.False(initial.GetProperty("enabled").GetBoolean());
        Assert.False(initial.GetProperty("email_available").GetBoolean());

        var (status, body) = await PutAsync(new { enabled = true, webhook_url = "https://hooks.example.org/fieldlab", kinds = new[] { "bearing", "rul" } });
        Assert.Equal(HttpStatusCode.OK, status);
        var secret = body.GetProperty("webhook_secret").GetString();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(["bearing", "rul"], body.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));

        var read = await _teacher.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        Assert.Equal(JsonValueKind.Null, read.GetProperty("webhook_secret").ValueKind);
        Assert.True(read.GetProperty("webhook_secret_set").GetBoolean());

        (_, body) = await PutAsync(new { enabled = true, webhook_url = "https://hooks.example.org/other", include_cleared = true });
        Assert.Equal(JsonValueKind.Null, body.GetProperty("webhook_secret").ValueKind);
        (_, body) = await PutAsync(new { enabled = true, webhook_url = "https://hooks.example.org/other", rotate_secret = true });
        var rotated = body.GetProperty("webhook_secret").GetString();
        Assert.StartsWith("whsec_", rotated);
        Assert.NotEqual(secret, rotated);
        await _api.WithStoreAsync(async (db, _) => Assert.Equal(rotated, (await db.NotificationSettings.SingleAsync()).WebhookSecret));
    }

    [Fact]
    public async Task BadSettings_AreRefusedWhole_NamingEachField_AndWhatWasStoredStays()
    {
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(new { enabled = true, webhook_url = "https://hooks.example.org/kept", kinds = new[] { "energy" } })).Status);
        var (status, body) = await PutAsync(new { enabled = true, webhook_url = "ftp://hooks.example.org/x", email = "teacher@lab.test", kinds = new[] { "bearing", "weather" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.Contains("http", errors.GetProperty("webhook_url")[0].GetString());
        Assert.Contains("no SMTP server", errors.GetProperty("email")[0].GetString());
        Assert.Contains("'weather'", errors.GetProperty("kinds")[0].GetString());

        (status, body) = await PutAsync(new { enabled = true });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("enabled", out _));

        var kept = await _teacher.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        Assert.Equal("https://hooks.example.org/kept", kept.GetProperty("webhook_url").GetString());
        Assert.Equal(["energy"], kept.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.True(kept.GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5181/models")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("https://user:pass@hooks.example.org/hook")]
    public async Task WebhookIntoTheOwnNetwork_OrWithCredentials_IsRefused(string url)
    {
        var (status, body) = await PutAsync(new { enabled = true, webhook_url = url });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("webhook_url", out _));
    }
}
