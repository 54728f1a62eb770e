using System.Text;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Gateway.Tests.Publishing;

[Collection("servers")]
public sealed class RigGatewayTests(ServersFixture servers) : IDisposable
{
    private readonly TempDirectory _buffers = new("gw-buffers");

    public void Dispose() => _buffers.Dispose();

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private GatewayConfig Config(string site) => GatewayConfigFile.Parse($$"""
        site: {{site}}
        rig: pump-1
        broker: { host: 127.0.0.1, port: {{servers.Mosquitto.Port}} }
        simulation: { kind: pump, seed: 3, rate_hz: 100 }
        publish: { batch_interval: 100ms }
        buffer: { dir: {{_buffers.File(site)}} }
        delivery: { confirm: broker }
        """, "test.yaml");

    [Fact]
    public async Task Gateway_AnnouncesTheRig_AndPublishesConsecutiveSequenceNumbers()
    {
        var site = "gw-" + Guid.NewGuid().ToString("N")[..8];
        await using var observer = await MqttConnection.ConnectAsync(servers.Mosquitto.ClientOptions("obs-" + site), null, CancellationToken.None);
        await observer.SubscribeAsync($"fieldlab/{site}/#", MqttQos.AtLeastOnce, CancellationToken.None);

        var gateway = new RigGateway(Config(site), new PumpRig(3, 100), TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.RowsPublished >= 300), Patience);
        await gateway.StopAsync(CancellationToken.None);

        var messages = await ReadAllAsync(observer, TimeSpan.FromMilliseconds(500));
        var birth = Assert.Single(messages, m => m.Topic.EndsWith("/birth"));
        Assert.True(WireJson.TryDecodeBirth(birth.Payload, out var decoded, out _));
        Assert.Equal("pump", decoded!.Kind);
        Assert.Equal(9, decoded.Streams.Single().Sensors.Count);
        var states = messages.Where(m => m.Topic.EndsWith("/state")).Select(m => Encoding.UTF8.GetString(m.Payload)).ToList();
        Assert.Contains(states, s => s.Contains("\"online\""));
        Assert.Contains(states, s => s.Contains("\"shutdown\""));

        var batch = new DecodedSampleBatch();
        long expectedSeq = 0;
        long previousTime = long.MinValue;
        foreach (var m in messages.Where(m => m.Topic.EndsWith("/samples")))
        {
            Assert.True(SampleBatchReader.TryRead(m.Payload, batch, out var reason, out var detail), $"{reason}: {detail}");
            Assert.Empty(batch.RowRejections);
            Assert.Equal(expectedSeq, batch.FirstSeq);
            for (int r = 0; r < batch.RowCount; r++)
            {
                Assert.Equal(9, batch.RowValues(r).End.Value - batch.RowValues(r).Start.Value);
                Assert.Equal(previousTime == long.MinValue ? batch.RowTime(r) : previousTime + 10_000_000, batch.RowTime(r));
                previousTime = batch.RowTime(r);
            }
            expectedSeq += batch.RowCount;
        }
        Assert.Equal(gateway.RowsPublished, expectedSeq);
    }

    [Fact]
    public async Task DroppedConnection_MarksTheRigOfflineByItsWill_AndReconnectingMarksItOnline()
    {
        var site = "will-" + Guid.NewGuid().ToString("N")[..8];
        await using var broker = await Fieldlab.LocalServers.LocalMosquitto.StartNewAsync();
        var config = GatewayConfigFile.Parse($$"""
            site: {{site}}
            rig: pump-1
            broker: { host: 127.0.0.1, port: {{broker.Port}} }
            simulation: { kind: pump, seed: 3, rate_hz: 10 }
            buffer: { dir: {{_buffers.File(site)}} }
            delivery: { confirm: broker }
            """, "test.yaml");
        var gateway = new RigGateway(config, new PumpRig(3, 10), TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.Connection?.State == MqttConnectionState.Connected), Patience);

        await using var observer = await MqttConnection.ConnectAsync(broker.ClientOptions("obs"), null, CancellationToken.None);
        await observer.SubscribeAsync($"fieldlab/{site}/pump-1/state", MqttQos.AtLeastOnce, CancellationToken.None);
        // Another client taking over the gateway's client id makes the broker drop the gateway's connection without a
        // DISCONNECT, exactly as when the gateway dies: the broker must publish the gateway's will.
        var intruder = broker.ClientOptions(config.GatewayId);
        intruder.ReconnectDelayMin = intruder.ReconnectDelayMax = TimeSpan.FromHours(1); // kicked back out, it stays out
        await using (await MqttConnection.ConnectAsync(intruder, null, CancellationToken.None))
        {
            await WaitForAsync(observer, m => Encoding.UTF8.GetString(m.Payload).Contains("\"connection lost\""));
            // The gateway reconnects by itself and says it is back.
            await WaitForAsync(observer, m => Encoding.UTF8.GetString(m.Payload).Contains("\"online\""));
        }
        await gateway.StopAsync(CancellationToken.None);
    }

    private static async Task WaitForAsync(MqttConnection connection, Func<MqttMessage, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!wanted(await connection.Messages.ReadAsync(timeout.Token)))
        {
        }
    }

    private static async Task<List<MqttMessage>> ReadAllAsync(MqttConnection connection, TimeSpan quiet)
    {
        var list = new List<MqttMessage>();
        while (true)
        {
            using var timeout = new CancellationTokenSource(quiet);
            try { list.Add(await connection.Messages.ReadAsync(timeout.Token)); }
            catch (OperationCanceledException) { return list; }
        }
    }
}
