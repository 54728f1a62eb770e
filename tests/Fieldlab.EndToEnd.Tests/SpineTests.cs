using System.Collections.Concurrent;
using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests;

[Collection("servers")]
public sealed class SpineTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SamplesPublishedByTheGateway_AreReturnedByTheApiExactly_AndBadMessagesEndInTheDeadLetter()
    {
        await using var platform = await Platform.StartAsync(servers);
        using var buffers = new TempDirectory("e2e-buffer");
        var rig = new RigAddress(platform.Site, "pump-1");

        // Watch the wire: what the gateway publishes, and what ingest dead-letters.
        await using var observer = await MqttConnection.ConnectAsync(await platform.ClientAsync("observer",
            new TopicRule(TopicAccess.Read, $"fieldlab/{platform.Site}/+/samples"), new TopicRule(TopicAccess.Read, $"fieldlab/{platform.Site}/+/deadletter")), null, CancellationToken.None);
        await observer.SubscribeAsync($"fieldlab/{platform.Site}/+/samples", MqttQos.AtLeastOnce, CancellationToken.None);
        await observer.SubscribeAsync($"fieldlab/{platform.Site}/+/deadletter", MqttQos.AtLeastOnce, CancellationToken.None);
        var published = new ConcurrentQueue<byte[]>();
        var deadLetters = new ConcurrentQueue<DeadLetter>();
        var watching = Task.Run(async () =>
        {
            await foreach (var m in observer.Messages.ReadAllAsync())
            {
                if (m.Topic.EndsWith("/deadletter", StringComparison.Ordinal) && WireJson.TryDecodeDeadLetter(m.Payload, out var letter, out _)) deadLetters.Enqueue(letter!);
                else if (m.Topic == FieldlabTopic.For(rig, TopicChannel.Samples) && !Encoding.UTF8.GetString(m.Payload).Contains("\"injected\"")) published.Enqueue(m.Payload);
            }
        });

        // The real gateway code, in process, for a couple of seconds at 50 Hz.
        var config = GatewayConfigFile.Parse($$"""
            site: {{platform.Site}}
            rig: pump-1
            {{await platform.GatewayBrokerYamlAsync("pump-1")}}
            simulation: { kind: pump, seed: 7, rate_hz: 50 }
            publish: { batch_interval: 200ms }
            buffer: { dir: {{buffers.Path}} }
            """, "test.yaml");
        var gateway = new RigGateway(config, new PumpRig(7, 50), TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.RowsPublished >= 100), Patience);

        // Bad input alongside the good: each must be quarantined, none may reach the samples.
        // A misbehaving publisher with write rights on the whole site (as a broken gateway of each rig would have).
        var injector = await MqttConnection.ConnectAsync(await platform.ClientAsync("injector", new TopicRule(TopicAccess.Write, $"fieldlab/{platform.Site}/#")), null, CancellationToken.None);
        var now = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow));
        string[] bad =
        [
            """{"stream":"process","seq":900000,"injected":1,"samples":[{"t":""" + $"\"{now}\"" + ""","flow":""",
            """{"stream":"process","seq":900001,"injected":1,"samples":[{"t":""" + $"\"{now}\"" + ""","flw":12.5}]}""",
            """{"stream":"process","seq":900002,"injected":1,"samples":[{"t":""" + $"\"{now}\"" + ""","flow":"12.5"}]}""",
            """{"stream":"process","seq":900003,"injected":1,"samples":[{"t":"2099-01-01T00:00:00Z","flow":12.5}]}""",
            """{"stream":"vibration","seq":900004,"injected":1,"samples":[{"t":""" + $"\"{now}\"" + ""","flow":1}]}""",
        ];
        foreach (var payload in bad) await injector.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Samples), Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, false, CancellationToken.None);
        await injector.PublishAsync($"fieldlab/{platform.Site}/ghost/samples", Encoding.UTF8.GetBytes("""{"stream":"process","seq":1,"injected":1,"samples":[{"t":""" + $"\"{now}\"" + ""","flow":1}]}"""), MqttQos.AtLeastOnce, false, CancellationToken.None);
        await injector.DisposeAsync();

        await Task.Delay(500);
        await gateway.StopAsync(CancellationToken.None);

        // What the gateway published is the truth the API must return.
        var expected = new Dictionary<string, List<(long T, double V)>>();
        var batch = new DecodedSampleBatch();
        foreach (var payload in published)
        {
            Assert.True(SampleBatchReader.TryRead(payload, batch, out _, out _));
            for (int row = 0; row < batch.RowCount; row++)
            {
                var range = batch.RowValues(row);
                for (int v = range.Start.Value; v < range.End.Value; v++)
                {
                    var sensor = batch.SensorName(batch.SensorIndexes[v]);
                    if (!expected.TryGetValue(sensor, out var list)) expected[sensor] = list = [];
                    list.Add((batch.RowTime(row), batch.Values[v]));
                }
            }
        }
        int rows = expected["flow"].Count;
        Assert.True(rows >= 100);
        Assert.Equal(9, expected.Count);
        long first = expected["flow"].Min(p => p.T), last = expected["flow"].Max(p => p.T);
        string window = $"from={UtcTimestamp.Format(first)}&to={UtcTimestamp.Format(last)}";

        await Eventually.HoldsAsync(async () =>
            (await platform.GetAsync<SeriesDto>(platform.Rig("pump-1", $"series?sensor=flow&{window}"))).Count == rows, Patience,
            () => $"expected {rows} rows; ingest log:\n{platform.Ingest.Tail()}");

        foreach (var (sensor, values) in expected)
        {
            var series = await platform.GetAsync<SeriesDto>(platform.Rig("pump-1", $"series?sensor={sensor}&{window}"));
            Assert.Equal(values.Count, series.Count);
            Assert.False(series.Truncated);
            var ordered = values.OrderBy(v => v.T).ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                Assert.Equal(UtcTimestamp.Format(ordered[i].T), series.Points[i].T);
                Assert.Equal(ordered[i].V, series.Points[i].Value); // exact: nothing may be rounded on the way
            }
        }

        // The export is the platform's own recording format: the replay reads it back with every value intact.
        using (var export = await platform.Http.GetAsync(platform.Rig("pump-1", $"export?stream=process&{window}")))
        {
            Assert.True(export.IsSuccessStatusCode, await export.Content.ReadAsStringAsync());
            var path = Path.Combine(buffers.Path, "export.csv");
            await File.WriteAllBytesAsync(path, await export.Content.ReadAsByteArrayAsync());
            using var reader = Fieldlab.Gateway.Replay.RecordingReader.Open(path, "auto");
            Assert.Equal("fieldlab", reader.Format.Name);
            int exported = 0;
            while (reader.TryRead(out var row, out var error))
            {
                Assert.Null(error);
                for (int s = 0; s < reader.Format.SensorIds.Count; s++)
                {
                    var truth = expected[reader.Format.SensorIds[s]].Single(p => p.T == row.TimeNs);
                    Assert.Equal(truth.V, row.Values[s]);
                }
                exported++;
            }
            Assert.Equal(rows, exported);
            Assert.Equal("m3/h", reader.Units[reader.Format.SensorColumns[reader.Format.SensorIds.ToList().IndexOf("flow")]]);
        }

        // Every bad message was quarantined with a reason, and counted.
        await Eventually.HoldsAsync(() => Task.FromResult(deadLetters.Count >= 6), Patience, () => $"dead letters: {string.Join(", ", deadLetters.Select(d => d.Reason))}");
        Assert.Equal(
            [RejectReasons.MalformedJson, RejectReasons.Schema, RejectReasons.TimestampSkew, RejectReasons.UnknownRig, RejectReasons.UnknownSensor, RejectReasons.UnknownStream],
            deadLetters.Select(d => d.Reason).Order().ToArray());
        using var influx = new InfluxClient(servers.Influx.ClientOptions(platform.Database));
        var stored = await influx.QueryAsync(new InfluxQuery($"SELECT count(flow) FROM {FieldlabSchema.Samples.ReadSources} WHERE seq >= 900000"), CancellationToken.None);
        Assert.Empty(stored.Series);
        // The dead letter is published at once; the durable reject point goes with the next write.
        await Eventually.HoldsAsync(async () =>
            (await influx.QueryAsync(new InfluxQuery("SELECT count(bytes) FROM rejects"), CancellationToken.None)).Single?.GetDouble(0, "count") == 6.0, Patience);
        var metrics = await platform.IngestMetricsAsync();
        Assert.Equal(rows, metrics["rows_stored"]);
        Assert.Equal(6, metrics["messages_rejected"]);

        // The rig list comes from the birth message; the gateway said goodbye when it stopped.
        var listed = Assert.Single(await platform.GetAsync<List<RigDto>>($"/api/sites/{platform.Site}/rigs"), r => r.Rig == "pump-1");
        Assert.Equal("pump", listed.Kind);
        Assert.Equal(9, listed.Sensors.Count);
        Assert.Contains(listed.Sensors, s => s.Id == "flow" && s.Unit == "m3/h" && s.RateHz == 50);
        Assert.False(listed.Online);

        await observer.DisposeAsync();
        await watching;
    }

    [Fact]
    public async Task Health_ReportsBrokerAndDatabase()
    {
        await using var platform = await Platform.StartAsync(servers);
        await Eventually.HoldsAsync(async () => (await platform.Http.GetAsync("/healthz")).IsSuccessStatusCode, Patience);
        var body = await platform.Http.GetStringAsync("/healthz");
        Assert.Contains("\"status\":\"ok\"", body);
        Assert.Contains("\"version\":\"1.", body);
    }
}
