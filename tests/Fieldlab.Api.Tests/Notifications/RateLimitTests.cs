using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Api.Notifications;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fieldlab.Api.Tests.Notifications;

/// <summary>A flapping alert cannot flood anybody: at most the limit's messages per window go out, and what was held
/// back is counted and reported — in the next message, or in a summary of its own once the window has room.</summary>
[Collection("servers")]
public sealed class RateLimitTests(ServersFixture servers)
{
    private static readonly HeldAlert Bearing = new("lab", "rig-1", "bearing", 1);

    [Fact]
    public void OverTheLimit_IsCounted_AndHandedToTheNextMessage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var limit = new NotificationRateLimit(3, TimeSpan.FromMinutes(1), time);
        int sent = 0;
        for (int i = 0; i < 30; i++)
        {
            if (limit.TryAdmit("teacher/Webhook", Bearing, out var held)) { sent++; Assert.Null(held); }
            time.Advance(TimeSpan.FromSeconds(1)); // 30 raise/clear in half a minute
        }
        Assert.Equal(3, sent);
        Assert.Equal(27, limit.Peek("teacher/Webhook")!.Suppressed);
        Assert.Empty(limit.DueSummaries()); // the window is still full
        // Another person and channel is not held back by it.
        Assert.True(limit.TryAdmit("pupil/Email", Bearing, out _));

        time.Advance(TimeSpan.FromSeconds(31)); // the first send leaves the window
        Assert.True(limit.TryAdmit("teacher/Webhook", Bearing, out var carried));
        Assert.Equal((27, 0), (carried!.Suppressed, carried.Undelivered));
        Assert.Equal([new HeldAlert("lab", "rig-1", "bearing", 27)], carried.Alerts);
        Assert.Null(limit.Peek("teacher/Webhook"));
    }

    [Fact]
    public void WhatWasHeldBack_GoesOutAlone_WhenNoAlertComes_AndAFailedMessageIsPutBack()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var limit = new NotificationRateLimit(1, TimeSpan.FromMinutes(1), time);
        Assert.True(limit.TryAdmit("k", Bearing, out _));
        Assert.False(limit.TryAdmit("k", Bearing, out _));
        time.Advance(TimeSpan.FromMinutes(1));
        var (key, held) = Assert.Single(limit.DueSummaries());
        Assert.Equal(("k", 1), (key, held.Suppressed));
        // The summary failed every try: it and what it carried wait for the next message.
        limit.Undelivered("k", null, held);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limit.TryAdmit("k", Bearing, out var next));
        Assert.Equal(1, next!.Suppressed);
    }

    [Fact]
    public async Task AFlappingAlert_YieldsAtMostTheLimitPerWindow_AndTheRestIsReported()
    {
        await using var receiver = await LocalHttpReceiver.StartAsync();
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync, settings: new Dictionary<string, string?>
        {
            ["Notifications:AllowPrivateWebhooks"] = "true",
            ["Notifications:RateLimit"] = "3",
            ["Notifications:RateWindow"] = "00:00:04",
        });
        await using var publisher = await AlertPublisher.ConnectAsync(api);
        using (var teacher = api.Client(await api.TokenAsync("teacher")))
        using (var response = await teacher.PutAsJsonAsync("/api/me/notifications", new { enabled = true, webhook_url = receiver.Url + "/teacher", include_cleared = true }))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        for (int i = 0; i < 30; i++) await publisher.PublishAsync(SmallTenancy.Rig, "bearing", i % 2 == 0 ? "raised" : "cleared");

        // Every one of the 30 is either delivered or counted in a message that was.
        static int Accounted(IEnumerable<JsonElement> messages) =>
            messages.Sum(m => (m.GetProperty("type").GetString() == "alert" ? 1 : 0) + (m.GetProperty("held_back").ValueKind == JsonValueKind.Object ? m.GetProperty("held_back").GetProperty("suppressed").GetInt32() : 0));
        await Eventually.HoldsAsync(() => Task.FromResult(Accounted(receiver.To("/teacher").Select(r => r.Json)) == 30), TimeSpan.FromSeconds(30),
            () => $"{receiver.To("/teacher").Count} messages: " + string.Join(" | ", receiver.To("/teacher").Select(r => System.Text.Encoding.UTF8.GetString(r.Body))));
        var messages = receiver.To("/teacher").Select(r => r.Json).ToList();
        var first = messages[0].GetProperty("sent_at").GetDateTime();
        Assert.True(messages.Count(m => m.GetProperty("sent_at").GetDateTime() < first.AddSeconds(4)) <= 3, $"{messages.Count} messages: more than 3 in the first window");
        Assert.True(messages.Count <= 6, $"{messages.Count} messages for one flapping alert");
        var report = messages.Last(m => m.GetProperty("held_back").ValueKind == JsonValueKind.Object).GetProperty("held_back");
        Assert.True(report.GetProperty("suppressed").GetInt32() >= 20);
        Assert.Equal("bearing", report.GetProperty("alerts")[0].GetProperty("id").GetString());
    }
}
