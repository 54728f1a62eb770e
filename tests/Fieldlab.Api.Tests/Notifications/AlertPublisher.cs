using Fieldlab.Access.Broker;
using Fieldlab.Api.Live;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Notifications;

/// <summary>Publishes alerts on the real broker as ingest does (its own principal, <c>fieldlab/{site}/{rig}/alerts</c>),
/// once the API has shown that it receives them.</summary>
public sealed class AlertPublisher : IAsyncDisposable
{
    private readonly MqttConnection _connection;
    private long _seq;

    private AlertPublisher(MqttConnection connection) => _connection = connection;

    /// <summary>Connects as the tenancy's ingest service and waits until an alert on a rig nobody watches reaches the
    /// API's <see cref="AlertFeed"/> (its subscription is in place).</summary>
    public static async Task<AlertPublisher> ConnectAsync(ApiUnderTest api, string ingestService = "ingest-s")
    {
        var connection = await MqttConnection.ConnectAsync(api.BrokerLogin(PrincipalNames.Service(ingestService)), null, CancellationToken.None);
        var publisher = new AlertPublisher(connection);
        var feed = api.Factory.Services.GetRequiredService<AlertFeed>();
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var arrived = Task.Run(async () =>
        {
            await foreach (var a in feed.SubscribeAsync(ready.Token)) if (a.Rig.Rig == "probe-0") return;
        });
        while (!arrived.IsCompleted)
        {
            await publisher.PublishAsync(new RigAddress("lab", "probe-0"), "probe", "raised");
            await Task.WhenAny(arrived, Task.Delay(200));
        }
        await arrived;
        return publisher;
    }

    /// <summary>Publishes one alert (its time: now, plus a nanosecond count so that no two are alike).</summary>
    public async Task<RigAlert> PublishAsync(RigAddress rig, string id, string state, string kind = "bearing")
    {
        long ns = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) + Interlocked.Increment(ref _seq);
        var alert = new RigAlert
        {
            Id = id,
            State = state,
            Kind = kind,
            T = UtcTimestamp.Format(ns),
            Summary = $"{kind} alert {id} {state} on {rig}.",
            Defect = kind == "bearing" ? "outer_race" : null,
            Sensors = ["x"],
            Score = 14.2,
            Limit = 5.1,
        };
        await _connection.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Alerts), WireJson.Encode(alert), MqttQos.AtLeastOnce, false, CancellationToken.None);
        return alert;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
