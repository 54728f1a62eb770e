using System.Threading.Channels;
using Fieldlab.Access.Broker;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>Ingest's stored-through watermark on the real broker, InfluxDB and ingest process: it reaches a gateway's
/// announced head only once every row before it is in the database, and not while a gap is open.</summary>
[Collection("servers")]
public sealed class StoredThroughTests(ServersFixture servers)
{
    private const long Second = 1_000_000_000;
    private static readonly long T0 = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow.AddMinutes(-10)) / Second * Second;

    [Fact]
    public async Task Watermark_AdvancesToTheAnnouncedHead_OnlyAfterItsRowsAreStored_AndNotPastAGap()
    {
        await using var platform = await Platform.StartAsync(servers);
        var rig = new RigAddress(platform.Site, "pump-1");
        var gatewayLogin = platform.Access.Gateway(rig);
        var readerOptions = await platform.ClientAsync("watermark", new TopicRule(TopicAccess.Read, FieldlabTopic.For(rig, TopicChannel.Stored)));
        await using var gateway = await MqttConnection.ConnectAsync(platform.Broker.ClientOptions(gatewayLogin), null, CancellationToken.None);
        await using var reader = await MqttConnection.ConnectAsync(readerOptions, null, CancellationToken.None);
        await reader.SubscribeAsync(FieldlabTopic.For(rig, TopicChannel.Stored), MqttQos.AtLeastOnce, CancellationToken.None);

        var birth = new RigBirth { Kind = "pump", Streams = [new StreamSpec { Id = "process", RateHz = 1, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] }] };
        await gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);

        // Rows 0..9 exist (one a second); the gateway says so before it sends them.
        await HeadAsync(gateway, rig, nextSeq: 10);
        await SamplesAsync(gateway, rig, 0, 10);
        var first = await NextThroughAsync(reader);
        Assert.Equal(T0 + 9 * Second, first);
        Assert.Equal(10, (await platform.StoredSeqsAsync("pump-1", "process")).Count); // published after the rows were stored

        // Rows 10..19 exist; 15..19 arrive first (10..14 are still in the gateway's buffer): no move past row 9.
        await HeadAsync(gateway, rig, nextSeq: 20);
        await SamplesAsync(gateway, rig, 15, 5);
        await Eventually.HoldsAsync(async () => (await platform.StoredSeqsAsync("pump-1", "process")).Count == 15, TimeSpan.FromSeconds(30), () => platform.Ingest.Tail());
        // Absence can only be shown by waiting: two of the publisher's one-second periods after the rows were stored.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2.5)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NextThroughAsync(reader, quiet.Token));
        }

        await SamplesAsync(gateway, rig, 10, 5);
        Assert.Equal(T0 + 19 * Second, await NextThroughAsync(reader));
    }

    private static Task HeadAsync(MqttConnection gateway, RigAddress rig, long nextSeq) =>
        gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Head), WireJson.Encode(new GatewayHead
        {
            T = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow)),
            Streams = [new StreamHead("process", nextSeq, UtcTimestamp.Format(T0 + (nextSeq - 1) * Second), 0)],
        }), MqttQos.AtLeastOnce, true, CancellationToken.None);

    private static Task SamplesAsync(MqttConnection gateway, RigAddress rig, long firstSeq, int count)
    {
        var batch = new SampleBatchWriter();
        batch.Begin("process", firstSeq);
        for (long s = firstSeq; s < firstSeq + count; s++)
        {
            batch.BeginRow(T0 + s * Second);
            batch.Value("flow", 40 + s);
        }
        return gateway.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Samples), batch.Finish().ToArray(), MqttQos.AtLeastOnce, false, CancellationToken.None);
    }

    private static async Task<long> NextThroughAsync(MqttConnection reader, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var message = await reader.Messages.ReadAsync(timeout.Token);
        Assert.True(WireJson.TryDecodeStored(message.Payload, out var stored, out var error), error);
        Assert.True(UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(stored!.Streams.Single(s => s.Stream == "process").Through), out long through));
        return through;
    }
}
