using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Api.Notifications;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tests.Notifications;

/// <summary>Alerts published on the real broker reach the webhooks of the people who may see the rig and asked for
/// their kind, signed with each person's secret; nobody else gets anything; a receiver that fails every try is
/// reported in the next message that reaches it.</summary>
[Collection("servers")]
public sealed class WebhookNotificationTests(ServersFixture servers) : IAsyncLifetime
{
    private LocalHttpReceiver _receiver = null!;
    private ApiUnderTest _api = null!;
    private AlertPublisher _publisher = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _receiver = await LocalHttpReceiver.StartAsync();
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync, settings: new Dictionary<string, string?>
        {
            ["Notifications:AllowPrivateWebhooks"] = "true", // the receiver is on 127.0.0.1
            ["Notifications:Attempts"] = "2",
            ["Notifications:RetryDelay"] = "00:00:00.100",
        });
        _publisher = await AlertPublisher.ConnectAsync(_api);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _api.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<string> SubscribeAsync(string user, string path, string[]? kinds = null)
    {
        using var client = _api.Client(await _api.TokenAsync(user));
        using var response = await client.PutAsJsonAsync("/api/me/notifications", new { enabled = true, webhook_url = _receiver.Url + path, kinds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook_secret").GetString()!;
    }

    [Fact]
    public async Task AnAlert_ReachesTheWebhookOfWhoMaySeeIt_Signed_AndNobodyElse()
    {
        var secret = await SubscribeAsync("teacher", "/teacher", ["bearing"]);
        await SubscribeAsync("member", "/member");           // no pilot on rig-1: may not see it
        await SubscribeAsync("pupil", "/pupil", ["energy"]); // may see it, but asked for energy alerts only

        var first = await _publisher.PublishAsync(SmallTenancy.Rig, "bearing", "raised");
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.To("/teacher").Count == 1), TimeSpan.FromSeconds(20));
        var message = _receiver.To("/teacher")[0];
        Assert.Equal("POST", message.Method);
        Assert.True(WebhookSignature.Verify(secret, message.Body, message.Headers[WebhookSignature.Header]), "signature does not verify with the secret shown when the webhook was set");
        Assert.False(WebhookSignature.Verify(secret + "x", message.Body, message.Headers[WebhookSignature.Header]));
        var json = message.Json;
        Assert.Equal("alert", json.GetProperty("type").GetString());
        Assert.Equal(("lab", "rig-1"), (json.GetProperty("site").GetString(), json.GetProperty("rig").GetString()));
        Assert.Equal(first.T, json.GetProperty("alert").GetProperty("t").GetString());
        Assert.Equal(first.Summary, json.GetProperty("alert").GetProperty("summary").GetString());
        Assert.StartsWith("bearing@", json.GetProperty("occurrence").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("held_back").ValueKind);
        Assert.Equal(json.GetProperty("delivery").GetString(), message.Headers["X-Fieldlab-Delivery"]);

        // A second alert: once it has reached the teacher, the others' would have reached them too.
        await _publisher.PublishAsync(SmallTenancy.Rig, "bearing", "raised");
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.To("/teacher").Count == 2), TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        Assert.Empty(_receiver.To("/member"));
        Assert.Empty(_receiver.To("/pupil"));

        await _api.WithStoreAsync(async (db, _) =>
        {
            var sent = await db.Audit.Where(a => a.Action == "notification.send").Select(a => a.Target + ":" + a.Outcome).ToListAsync();
            Assert.Equal(["teacher:ok", "teacher:ok"], sent);
        });
    }

    [Fact]
    public async Task AReceiverThatFailsEveryTry_IsAudited_AndTheNextMessageSaysSo()
    {
        await SubscribeAsync("teacher", "/teacher");
        int calls = 0;
        _receiver.Answer = _ => Interlocked.Increment(ref calls) <= 2 ? 503 : 200; // both tries of the first message fail
        await _publisher.PublishAsync(SmallTenancy.Rig, "anomaly-process", "raised", kind: "anomaly");
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.To("/teacher").Count == 2), TimeSpan.FromSeconds(20));
        await _publisher.PublishAsync(SmallTenancy.Rig, "bearing", "raised");
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.To("/teacher").Count == 3), TimeSpan.FromSeconds(20));
        var delivered = _receiver.To("/teacher")[2].Json;
        Assert.Equal("bearing", delivered.GetProperty("alert").GetProperty("id").GetString());
        var held = delivered.GetProperty("held_back");
        Assert.Equal(1, held.GetProperty("undelivered").GetInt32());
        Assert.Equal("anomaly-process", held.GetProperty("alerts")[0].GetProperty("id").GetString());
        // The two tries carried one delivery id: a receiver can tell a retry from a new message.
        Assert.Equal(_receiver.To("/teacher")[0].Headers["X-Fieldlab-Delivery"], _receiver.To("/teacher")[1].Headers["X-Fieldlab-Delivery"]);

        await Eventually.HoldsAsync(async () =>
        {
            List<string> outcomes = [];
            await _api.WithStoreAsync(async (db, _) => outcomes = await db.Audit.Where(a => a.Action == "notification.send").OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
            return outcomes.SequenceEqual(["failed", "ok"]);
        }, TimeSpan.FromSeconds(10));
    }
}
