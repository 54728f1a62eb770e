using System.Text;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using static Fieldlab.Telemetry.Tests.Mqtt.MqttTestClients;

namespace Fieldlab.Telemetry.Tests.Mqtt;

/// <summary>Tests that stop, kill or reconfigure a broker use their own broker, not the shared one.</summary>
public sealed class MqttConnectionResilienceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<MqttConnection> ConnectAsync(LocalMosquitto broker, string id, Action<MqttConnectionOptions>? tune = null)
    {
        var options = broker.ClientOptions(id);
        tune?.Invoke(options);
        return MqttConnection.ConnectAsync(options, null, new CancellationTokenSource(Patience).Token);
    }

    [Fact]
    public async Task AfterTheBrokerRestarts_TheClientReconnects_AndItsSubscriptionWorksAgain()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("restart/test", MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync(broker, "pub");

        await broker.StopAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(subscriber.State == MqttConnectionState.Connecting), Patience);
        await broker.StartAsync();
        await subscriber.WaitConnectedAsync(Ct).WaitAsync(Patience);
        await publisher.WaitConnectedAsync(Ct).WaitAsync(Patience);
        // The clean session was lost with the broker; the connection must have subscribed again by itself.
        await Eventually.HoldsAsync(async () =>
        {
            await publisher.PublishAsync("restart/test", Text("after"), MqttQos.AtLeastOnce, false, Ct);
            return (await subscriber.Messages.DrainAsync(TimeSpan.FromMilliseconds(200))).Any(m => Encoding.UTF8.GetString(m.Payload) == "after");
        }, Patience);
        Assert.True(subscriber.Statistics.ConnectionLosses >= 1);
        Assert.True(subscriber.Statistics.Connects >= 2);
    }

    [Fact]
    public async Task QosOneMessagesPublishedWhileTheBrokerIsDown_AreDeliveredAfterItReturns()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var subscriber = await ConnectAsync(broker, "sub-persistent", o => o.CleanSession = false);
        await subscriber.SubscribeAsync("outage/test", MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync(broker, "pub");

        await broker.StopAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(publisher.State == MqttConnectionState.Connecting), Patience);
        var deliveries = new List<Task>();
        for (int i = 0; i < 50; i++) deliveries.Add(publisher.PublishAsync("outage/test", Text($"q{i}"), MqttQos.AtLeastOnce, false, Ct));
        Assert.All(deliveries, d => Assert.False(d.IsCompleted));

        await broker.StartAsync();
        await Task.WhenAll(deliveries).WaitAsync(Patience);
        var received = await subscriber.Messages.ReceiveAsync(50);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"q{i}").ToHashSet(), received.Select(m => Encoding.UTF8.GetString(m.Payload)).ToHashSet());
    }

    [Fact]
    public async Task SharedSubscriptionOfAPersistentSession_WorksAgainAfterTheBrokerRestarts()
    {
        // Mosquitto 2.0.11 restores the session but not its shared subscriptions; the connection must renew them.
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var member = await ConnectAsync(broker, "member-" + Guid.NewGuid().ToString("N")[..8], o => o.CleanSession = false);
        await member.SubscribeAsync("$share/group/shared/test", MqttQos.AtLeastOnce, Ct);
        await broker.StopAsync();
        await broker.StartAsync();
        await member.WaitConnectedAsync(Ct).WaitAsync(Patience);
        await using var publisher = await ConnectAsync(broker, "pub");
        await Eventually.HoldsAsync(async () =>
        {
            await publisher.PublishAsync("shared/test", Text("after"), MqttQos.AtLeastOnce, false, Ct);
            return (await member.Messages.DrainAsync(TimeSpan.FromMilliseconds(200))).Count > 0;
        }, Patience);
    }

    [Fact]
    public async Task QosZeroPublishWhileDisconnected_FailsAsTransient()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var publisher = await ConnectAsync(broker, "pub");
        await broker.StopAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(publisher.State == MqttConnectionState.Connecting), Patience);
        var error = await Assert.ThrowsAsync<MqttException>(() => publisher.PublishAsync("x", Text("y"), MqttQos.AtMostOnce, false, Ct));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task InFlightWindow_BoundsUnacknowledgedPublishes()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var publisher = await ConnectAsync(broker, "pub", o => o.MaxInflight = 5);
        await broker.StopAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(publisher.State == MqttConnectionState.Connecting), Patience);

        var firstFive = Enumerable.Range(0, 5).Select(_ => publisher.PublishAsync("window", Text("x"), MqttQos.AtLeastOnce, false, Ct)).ToList();
        var sixth = publisher.PublishAsync("window", Text("x"), MqttQos.AtLeastOnce, false, Ct);
        await Eventually.HoldsAsync(() => Task.FromResult(publisher.Statistics.PublishesInFlight == 5), Patience);
        await Task.Delay(300);
        Assert.False(sixth.IsCompleted);
        Assert.Equal(5, publisher.Statistics.PublishesInFlight);
        Assert.Equal(1, publisher.Statistics.PublishesWaiting);

        await broker.StartAsync();
        await Task.WhenAll([.. firstFive, sixth]).WaitAsync(Patience);
    }

    [Fact]
    public async Task PersistentSession_ReceivesWhatWasPublishedWhileItWasAway()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        var id = "persistent-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await ConnectAsync(broker, id, o => o.CleanSession = false))
        {
            await first.SubscribeAsync("away/test", MqttQos.AtLeastOnce, Ct);
        }
        await using (var publisher = await ConnectAsync(broker, "pub"))
        {
            for (int i = 0; i < 20; i++) await publisher.PublishAsync("away/test", Text($"{i}"), MqttQos.AtLeastOnce, false, Ct);
        }
        await using var again = await ConnectAsync(broker, id, o => o.CleanSession = false);
        var received = await again.Messages.ReceiveAsync(20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{i}"), received.Select(m => Encoding.UTF8.GetString(m.Payload)));
    }

    [Fact]
    public async Task DisposingWhileMessagesAreInFlight_LeavesNoTaskPending_AndDoesNotCrash()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await using var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("flood", MqttQos.AtLeastOnce, Ct);
        var publisher = await ConnectAsync(broker, "pub", o => o.DisposeFlushTimeout = TimeSpan.Zero);

        var deliveries = new List<Task>();
        var producer = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 100_000; i++) lock (deliveries) deliveries.Add(publisher.PublishAsync("flood", new byte[200], MqttQos.AtLeastOnce, false, Ct));
            }
            catch (ObjectDisposedException)
            {
                // Expected once the connection is gone.
            }
        });
        await Task.Delay(100);
        await publisher.DisposeAsync();
        await producer.WaitAsync(Patience);
        await Task.WhenAny(Task.WhenAll(deliveries), Task.Delay(Patience));
        Assert.All(deliveries, d => Assert.True(d.IsCompleted));
        Assert.Equal(MqttConnectionState.Closed, publisher.State);
        await publisher.Messages.Completion.WaitAsync(Patience);
        // The subscriber is still healthy.
        Assert.Equal(MqttConnectionState.Connected, subscriber.State);
    }

    [Fact]
    public async Task DisposingASubscriberMidStream_CompletesItsChannel()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        var subscriber = await ConnectAsync(broker, "sub");
        await subscriber.SubscribeAsync("stream", MqttQos.AtLeastOnce, Ct);
        await using var publisher = await ConnectAsync(broker, "pub");
        var flood = Task.Run(async () =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                var sent = publisher.PublishAsync("stream", new byte[100], MqttQos.AtMostOnce, false, Ct);
                if (i % 500 == 0) await sent;
            }
        });
        await Task.Delay(50);
        await subscriber.DisposeAsync();
        await flood.WaitAsync(Patience);
        // Whatever arrived before disposal can still be read; then the channel ends.
        await foreach (var _ in subscriber.Messages.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token)) { }
        Assert.True(subscriber.Messages.Completion.IsCompleted);
    }

    [Fact]
    public async Task BrokerThatRefusesTheCredentials_FailsTheConnectAtOnce_AsPermanent()
    {
        var passwords = Path.Combine(Path.GetTempPath(), $"fieldlab-pw-{Guid.NewGuid():N}");
        var create = System.Diagnostics.Process.Start("mosquitto_passwd", ["-c", "-b", passwords, "student", "right"]);
        await create.WaitForExitAsync();
        try
        {
            await using var broker = await LocalMosquitto.StartNewAsync($"allow_anonymous false\npassword_file {passwords}\n");
            var error = await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker, "c", o => { o.Username = "student"; o.Password = "wrong"; }));
            Assert.False(error.IsTransient);
            await using var ok = await ConnectAsync(broker, "c2", o => { o.Username = "student"; o.Password = "right"; });
            Assert.Equal(MqttConnectionState.Connected, ok.State);
        }
        finally
        {
            File.Delete(passwords);
        }
    }

    [Fact]
    public async Task PublishDeniedByTheBrokersAcl_FailsWithThePermanentReason()
    {
        var acl = Path.Combine(Path.GetTempPath(), $"fieldlab-acl-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(acl, "topic readwrite allowed/#\n");
        try
        {
            await using var broker = await LocalMosquitto.StartNewAsync($"acl_file {acl}\n");
            await using var client = await ConnectAsync(broker, "c");
            await client.PublishAsync("allowed/x", Text("ok"), MqttQos.AtLeastOnce, false, Ct);
            var error = await Assert.ThrowsAsync<MqttException>(() => client.PublishAsync("forbidden/x", Text("no"), MqttQos.AtLeastOnce, false, Ct));
            Assert.False(error.IsTransient);
        }
        finally
        {
            File.Delete(acl);
        }
    }

    [Fact]
    public async Task ConnectingToNothing_KeepsTrying_UntilCancelled()
    {
        var options = new MqttConnectionOptions { Port = FreePort.Next(), ClientId = "nobody", ReconnectDelayMin = TimeSpan.FromMilliseconds(20) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MqttConnection.ConnectAsync(options, null, cts.Token));
    }

    [Fact]
    public async Task StartedBeforeTheBroker_ConnectsWhenTheBrokerComesUp()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        await broker.StopAsync();
        await using var client = MqttConnection.Start(broker.ClientOptions("early"));
        await Task.Delay(200);
        Assert.Equal(MqttConnectionState.Connecting, client.State);
        await broker.StartAsync();
        await client.WaitConnectedAsync(Ct).WaitAsync(Patience);
    }
}
