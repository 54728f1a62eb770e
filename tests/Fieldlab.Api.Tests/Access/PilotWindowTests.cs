using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Tenancy;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Access;

/// <summary>Access follows a pilot's window, in the API and in the broker: a company sees its pilot's rig only inside
/// the window, never the data before it; when the window ends — because an administrator ended the pilot, or because
/// its end time came — the company's access to later data stops at once (no cache serves it), and its broker
/// subscription stops delivering.</summary>
[Collection("servers")]
public sealed class PilotWindowTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly SmallTenancy _tenancy = new();
    private ApiUnderTest _api = null!;
    private MqttConnection _gateway = null!;
    private MqttConnection _member = null!;
    private readonly ConcurrentQueue<MqttMessage> _memberReceived = new();
    private Task _reading = Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, _tenancy.SeedAsync);
        _gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(MatrixTenancy.Birth()), MqttQos.AtLeastOnce, true, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_member is not null) await _member.DisposeAsync();
        await _reading;
        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
    }

    private async Task<int> CreatePilotAsync(DateTime start, DateTime? end)
    {
        int id = 0;
        await _api.WithStoreAsync(async (db, _) => id = (await PilotBook.CreateAsync(db, "company", "window", [SmallTenancy.Rig], start, end, false, DateTime.UtcNow, CancellationToken.None)).Id);
        return id;
    }

    private async Task WritePointAsync(DateTime t, double marker)
    {
        using var admin = new InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new LineProtocolWriter();
        lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", marker).EndPoint(UtcTimestamp.ToNanoseconds(new DateTimeOffset(t)));
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
    }

    private async Task<double[]> MemberSeesAsync(HttpClient member)
    {
        var to = Uri.EscapeDataString(DateTime.UtcNow.AddHours(1).ToString("O"));
        var body = await member.GetFromJsonAsync<JsonElement>($"/api/sites/lab/rigs/rig-1/series?sensor=flow&from=now-1d&to={to}");
        return [.. body.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).Order()];
    }

    private async Task SubscribeMemberAsync()
    {
        _member = await MqttConnection.ConnectAsync(_api.BrokerLogin("member"), null, CancellationToken.None);
        await _member.SubscribeAsync("fieldlab/lab/rig-1/#", MqttQos.AtLeastOnce, CancellationToken.None);
        _reading = Task.Run(async () => { await foreach (var m in _member.Messages.ReadAllAsync()) _memberReceived.Enqueue(m); });
    }

    // Publishes a sample marker and then the retained birth again (which the member may always read, status being its
    // right for as long as the pilot exists): once the birth has arrived, the marker would have arrived before it.
    private async Task<bool> MarkerReachesMemberAsync(string marker)
    {
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Samples), Encoding.UTF8.GetBytes(marker), MqttQos.AtLeastOnce, false, CancellationToken.None);
        var sentinel = MatrixTenancy.Birth() with { Description = "sentinel " + marker };
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(sentinel), MqttQos.AtLeastOnce, true, CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(_memberReceived.Any(m => m.Topic.EndsWith("/birth") && Encoding.UTF8.GetString(m.Payload).Contains("sentinel " + marker))),
            TimeSpan.FromSeconds(20));
        return _memberReceived.Any(m => Encoding.UTF8.GetString(m.Payload) == marker);
    }

    [Fact]
    public async Task EndingThePilot_StopsTheCompanysAccessToLaterDataAtOnce_AndDataBeforeTheWindowStaysHidden()
    {
        var now = DateTime.UtcNow;
        int pilot = await CreatePilotAsync(now.AddHours(-1), null);
        await _api.Factory.Services.GetRequiredService<Fieldlab.Api.Broker.BrokerAccessSync>().ApplyNowAsync(CancellationToken.None);
        await WritePointAsync(now.AddHours(-2), 1); // before the window
        await WritePointAsync(now.AddMinutes(-30), 2); // inside
        using var member = _api.Client(await _api.TokenAsync("member"));
        using var admin = _api.Client(await _api.TokenAsync("admin"));
        Assert.Equal(new[] { 2.0 }, await MemberSeesAsync(member));
        await SubscribeMemberAsync();
        Assert.True(await MarkerReachesMemberAsync("inside-1"));

        using var ended = await admin.PostAsync($"/api/pilots/{pilot}/end", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        // Data from after the end, and the broker, at once — the request returned after the broker took the new files.
        await WritePointAsync(DateTime.UtcNow.AddSeconds(1), 3);
        Assert.Equal(new[] { 2.0 }, await MemberSeesAsync(member));
        Assert.False(await MarkerReachesMemberAsync("after-1"));
        // The company still has its pilot's data, and still nothing from before the window.
        Assert.Equal(new[] { 2.0 }, await MemberSeesAsync(member));
    }

    [Fact]
    public async Task AWindowThatEndsByItself_ClosesTheBrokerWithinSeconds_WithoutAnyChange()
    {
        var end = DateTime.UtcNow.AddSeconds(4);
        await CreatePilotAsync(DateTime.UtcNow.AddHours(-1), end);
        await _api.Factory.Services.GetRequiredService<Fieldlab.Api.Broker.BrokerAccessSync>().ApplyNowAsync(CancellationToken.None);
        await SubscribeMemberAsync();
        Assert.True(await MarkerReachesMemberAsync("before-end"));
        using var member = _api.Client(await _api.TokenAsync("member"));
        await WritePointAsync(end.AddSeconds(2), 9);

        // No request, no edit: the API's sync worker wakes at the window's end and renders the broker's files again.
        var closed = DateTime.MaxValue;
        await Eventually.HoldsAsync(async () =>
        {
            if (await MarkerReachesMemberAsync($"probe-{Guid.NewGuid():N}")) return false;
            closed = DateTime.UtcNow;
            return true;
        }, TimeSpan.FromSeconds(30));
        Assert.True(closed - end < TimeSpan.FromSeconds(3), $"the broker closed {(closed - end).TotalSeconds:F1} s after the window ended");
        Assert.DoesNotContain(9.0, await MemberSeesAsync(member));
    }
}
