using System.Text;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using static Fieldlab.Telemetry.Tests.Mqtt.MqttTestClients;

namespace Fieldlab.Telemetry.Tests.Mqtt;

[Collection("servers")]
public sealed class MqttConnectionTests(ServersFixture servers)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private Task<MqttConnection> ConnectAsync(string id, MqttProtocolVersion version = MqttProtocolVersion.V5, Action<MqttConnectionOptions>? tune = null)
    {
        var options = servers.Mosquitto.ClientOptions($"{id}-{Guid.NewGuid():N}", version);
        tune?.Invoke(options);
        return MqttConnection.ConnectAsync(options, null, new CancellationTokenSource(Patience).Token);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V5, MqttQos.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V5, MqttQos.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQos.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQos.AtMostOnce)]
    public async Task PublishedMessages_ArriveInOrder_WithPayloadAndQos(MqttProtocolVersion version, MqttQos qos)
    {
        var topic = UniqueTopic();
        await using var subscriber = await ConnectAsync("sub", version);
        await subscriber.SubscribeAsync(topic, MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync("pub", version);

        for (int i = 0; i < 200; i++) await publisher.PublishAsync(topic, Text($"m{i}"), qos, retain: false, Ct);

        var received = await subscriber.Messages.ReceiveAsync(200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), received.Select(m => Encoding.UTF8.GetString(m.Payload)));
        Assert.All(received, m => Assert.Equal(topic, m.Topic));
        Assert.All(received, m => Assert.Equal(qos, m.Qos));
    }

    [Fact]
    public async Task QosOnePublish_CompletesOnlyWhenTheBrokerAcknowledged()
    {
        await using var publisher = await ConnectAsync("pub");
        var delivered = publisher.PublishAsync(UniqueTopic(), Text("x"), MqttQos.AtLeastOnce, false, Ct);
        await delivered.WaitAsync(Patience);
        Assert.True(delivered.IsCompletedSuccessfully);
        Assert.Equal(0, publisher.Statistics.PublishesInFlight);
    }

    [Fact]
    public async Task ManyConcurrentPublishers_AllMessagesArriveExactlyOnce()
    {
        var topic = UniqueTopic();
        await using var subscriber = await ConnectAsync("sub");
        await subscriber.SubscribeAsync(topic, MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync("pub", tune: o => o.MaxInflight = 100);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            var pending = new List<Task>();
            for (int i = 0; i < 2500; i++) pending.Add(publisher.PublishAsync(topic, Text($"{t}:{i}"), MqttQos.AtLeastOnce, false, Ct));
            await Task.WhenAll(pending);
        })));

        var received = await subscriber.Messages.ReceiveAsync(10_000);
        Assert.Equal(10_000, received.Select(m => Encoding.UTF8.GetString(m.Payload)).Distinct().Count());
    }

    [Fact]
    public async Task SharedSubscription_SplitsMessagesBetweenMembers_WithoutLossOrDuplicates()
    {
        var topic = UniqueTopic();
        var group = $"$share/g{Guid.NewGuid():N}"[..20];
        await using var a = await ConnectAsync("a");
        await using var b = await ConnectAsync("b");
        await a.SubscribeAsync($"{group}/{topic}", MqttQos.AtLeastOnce, Ct);
        await b.SubscribeAsync($"{group}/{topic}", MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync("pub");

        for (int i = 0; i < 1000; i++) await publisher.PublishAsync(topic, Text(i.ToString()), MqttQos.AtLeastOnce, false, Ct);

        var all = new List<string>();
        int fromA = 0, fromB = 0;
        while (all.Count < 1000)
        {
            var gotA = await a.Messages.DrainAsync(TimeSpan.FromMilliseconds(300));
            var gotB = await b.Messages.DrainAsync(TimeSpan.FromMilliseconds(300));
            if (gotA.Count + gotB.Count == 0) break;
            fromA += gotA.Count;
            fromB += gotB.Count;
            all.AddRange(gotA.Concat(gotB).Select(m => Encoding.UTF8.GetString(m.Payload)));
        }
        Assert.Equal(1000, all.Count);
        Assert.Equal(1000, all.Distinct().Count());
        Assert.InRange(fromA, 100, 900);
        Assert.InRange(fromB, 100, 900);
    }

    [Fact]
    public async Task RetainedMessage_IsDeliveredToALaterSubscriber()
    {
        var topic = UniqueTopic();
        await using var publisher = await ConnectAsync("pub");
        await publisher.PublishAsync(topic, Text("birth"), MqttQos.AtLeastOnce, retain: true, Ct);
        await using var subscriber = await ConnectAsync("sub");
        await subscriber.SubscribeAsync(topic, MqttQos.AtLeastOnce, Ct);
        var message = Assert.Single(await subscriber.Messages.ReceiveAsync(1));
        Assert.True(message.Retain);
        Assert.Equal("birth", Encoding.UTF8.GetString(message.Payload));
    }

    [Fact]
    public async Task InvalidSubscriptionFilter_FailsWithAPermanentError()
    {
        await using var client = await ConnectAsync("c");
        var error = await Assert.ThrowsAsync<MqttException>(() => client.SubscribeAsync("bad/#/filter", MqttQos.AtLeastOnce, Ct));
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void InvalidOptions_AreRejectedNamingTheKey()
    {
        var options = new MqttConnectionOptions { ClientId = "", Port = 0, MaxInflight = 70_000 };
        var error = Assert.Throws<ArgumentException>(() => MqttConnection.Start(options));
        Assert.Contains("ClientId", error.Message);
        Assert.Contains("Port", error.Message);
        Assert.Contains("MaxInflight", error.Message);
    }
}
