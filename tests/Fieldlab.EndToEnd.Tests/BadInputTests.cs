using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;

namespace Fieldlab.EndToEnd.Tests;

[Collection("servers")]
public sealed class BadInputTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static RigBirth Birth(params string[] sensors) => new()
    {
        Kind = "pump",
        Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [.. sensors.Select(s => new SensorSpec { Id = s, Unit = "1" })] }],
    };

    [Fact]
    public async Task ThousandsOfBrokenMessages_NeverStopIngest_AndEveryOneIsCountedAsStoredOrQuarantined()
    {
        await using var platform = await Platform.StartAsync(servers);
        var rig = new RigAddress(platform.Site, "pump-1");
        // The rig's own gateway login: broken messages come from where they would in the hall.
        await using var client = await MqttConnection.ConnectAsync(platform.Broker.ClientOptions(platform.Access.Gateway(rig)), null, CancellationToken.None);
        await client.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(Birth("flow", "head", "power", "current", "temperature", "vibration")), MqttQos.AtLeastOnce, true, CancellationToken.None);

        var random = new Random(42);
        int sent = 0;
        for (int i = 0; i < 3000; i++)
        {
            var now = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) - 1_000_000_000L + i * 1000);
            var valid = $"{{\"stream\":\"process\",\"seq\":{i * 10},\"samples\":[{{\"t\":\"{now}\",\"flow\":{random.NextDouble()},\"head\":{random.Next(100)}}}]}}";
            var bytes = Encoding.UTF8.GetBytes(valid);
            byte[] payload = (i % 6) switch
            {
                0 => bytes,
                1 => bytes[..random.Next(bytes.Length)],
                2 => Flip(bytes, random),
                3 => Encoding.UTF8.GetBytes(valid.Replace("\"flow\":", "\"flow\":\"x\",\"f\":")),
                4 => Encoding.UTF8.GetBytes(valid.Replace("\"head\"", "\"hed\"")),
                _ => i % 1000 == 5 ? new byte[10 * 1024 * 1024] : Encoding.UTF8.GetBytes(valid.Replace("\"seq\"", "\"seq\":1,\"seq\"")),
            };
            await client.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Samples), payload, MqttQos.AtLeastOnce, false, CancellationToken.None);
            sent++;
        }

        Dictionary<string, long> metrics = [];
        await Eventually.HoldsAsync(async () =>
        {
            metrics = await platform.IngestMetricsAsync();
            return metrics["messages"] == sent && metrics["parked_messages"] == 0 && metrics["batches_accepted"] + metrics["messages_rejected"] == sent;
        }, Patience, () => string.Join(", ", metrics.Select(m => $"{m.Key}={m.Value}")));
        Assert.True(metrics["messages_rejected"] >= 2000, string.Join(", ", metrics));
        Assert.True(metrics["quarantined"] >= 2000);
        using var health = new HttpClient();
        using var answer = await health.GetAsync($"{platform.IngestUrl}/healthz");
        Assert.True(answer.IsSuccessStatusCode, "ingest stays healthy: " + await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task QuarantinedMessage_IsKeptAndListed_AndStoredWhenReplayedAfterItsSensorIsRegistered()
    {
        await using var platform = await Platform.StartAsync(servers);
        var rig = new RigAddress(platform.Site, "pump-1");
        await using var client = await MqttConnection.ConnectAsync(platform.Broker.ClientOptions(platform.Access.Gateway(rig)), null, CancellationToken.None);
        await client.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(Birth("flow")), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var now = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow));
        await client.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Samples),
            Encoding.UTF8.GetBytes($"{{\"stream\":\"process\",\"seq\":0,\"samples\":[{{\"t\":\"{now}\",\"flow\":1.5,\"npsh\":4.25}}]}}"), MqttQos.AtLeastOnce, false, CancellationToken.None);

        var http = platform.IngestHttp;
        JsonElement list = default;
        await Eventually.HoldsAsync(async () =>
        {
            list = await http.GetFromJsonAsync<JsonElement>($"{platform.IngestUrl}/quarantine?reason=unknown-sensor");
            return list.GetProperty("count").GetInt32() == 1;
        }, Patience);
        var kept = list.GetProperty("messages")[0];
        Assert.Contains("npsh", kept.GetProperty("detail").GetString());
        Assert.True(kept.GetProperty("replayable").GetBoolean());

        // The instructor adds the sensor to the rig; the dead letter is a queue, not a grave.
        await client.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(Birth("flow", "npsh")), MqttQos.AtLeastOnce, true, CancellationToken.None);
        await Task.Delay(500);
        using var response = await http.PostAsync($"{platform.IngestUrl}/quarantine/replay?reason=unknown-sensor&rig=pump-1", null);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());

        await Eventually.HoldsAsync(async () =>
        {
            using var influx = platform.Influx();
            var stored = await influx.QueryAsync(new Fieldlab.Telemetry.Influx.InfluxQuery($"SELECT npsh FROM {FieldlabSchema.Samples.ReadSources} WHERE rig = $rig").Bind("rig", "pump-1"), CancellationToken.None);
            return stored.Single?.GetDouble(0, "npsh") == 4.25;
        }, Patience);
        var after = await http.GetFromJsonAsync<JsonElement>($"{platform.IngestUrl}/quarantine?reason=unknown-sensor");
        Assert.Equal(0, after.GetProperty("count").GetInt32());
    }

    private static byte[] Flip(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }
}
