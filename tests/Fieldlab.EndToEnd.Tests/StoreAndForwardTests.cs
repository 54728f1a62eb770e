using Fieldlab.Gateway.Buffering;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>Reads a running gateway's checkpointed buffer state (written every 250 ms).</summary>
internal static class GatewayState
{
    public static long NextSeq(string bufferDir, string stream)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bufferDir, "state.json")));
            return json.RootElement.GetProperty("streams").TryGetProperty(stream, out var s) ? s.GetProperty("next_seq").GetInt64() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

[Collection("servers")]
public sealed class StoreAndForwardTests(ServersFixture servers)
{
    [Fact]
    public async Task BrokerDownThirtySeconds_WithTheGatewayKilledAndRestartedMeanwhile_EverySequenceNumberArrivesExactlyOnce()
    {
        await using var platform = await Platform.StartAsync(servers);
        var broker = platform.Broker;
        using var dir = new TempDirectory("saf");
        var config = dir.File("pump.yaml");
        await File.WriteAllTextAsync(config, $$"""
            site: {{platform.Site}}
            rig: pump-1
            {{await platform.GatewayBrokerYamlAsync("pump-1")}}
            simulation: { kind: pump, seed: 9, rate_hz: 20 }
            publish: { batch_interval: 200ms }
            buffer: { dir: '{{dir.File("buffer")}}', max_mb: 64 }
            delivery: { confirm: ingest, confirm_timeout: 10s, backlog_rows_per_s: 2000, health_interval: 1s }
            """);
        var gatewayDll = ServiceProcess.AssemblyPath("Gateway", typeof(StoreAndForwardTests).Assembly);
        await using var gateway = await ServiceProcess.StartCommandAsync("gateway", $"dotnet {ServiceProcess.Quote(gatewayDll)} --config {ServiceProcess.Quote(config)}");

        await Eventually.HoldsAsync(async () => (await platform.StoredSeqsAsync("pump-1", "process")).Count >= 20, TimeSpan.FromSeconds(60), () => gateway.Tail());

        await broker.StopAsync();                       // broker gone for 30 s
        await Task.Delay(TimeSpan.FromSeconds(10));
        await gateway.KillAsync();                      // kill -9 mid-outage, with unsent data in its buffer
        await gateway.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(20));
        await broker.StartAsync();

        // Caught up: all but the last few seconds of what the gateway has produced (its buffer state says how much) is stored,
        // the outage's backlog included.
        long produced = 0, storedRows = 0;
        await Eventually.HoldsAsync(async () =>
        {
            produced = GatewayState.NextSeq(dir.File("buffer"), "process");
            storedRows = (await platform.StoredSeqsAsync("pump-1", "process")).Count;
            return produced > 600 && storedRows >= produced - 60;
        }, TimeSpan.FromSeconds(90), () => $"produced {produced}, stored {storedRows}\ngateway:\n{gateway.Tail()}\ningest:\n{platform.Ingest.Tail()}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await gateway.StopAsync();

        // What the gateway produced: sequence numbers [0, next); what it still holds unconfirmed must be the rest.
        using var outbox = Outbox.Open(new OutboxOptions { Directory = dir.File("buffer") }, TimeProvider.System, NullLogger.Instance);
        long next = outbox.NextSeq("process");
        var pending = new HashSet<long>();
        while (outbox.TakeNext(long.MaxValue, true, out _) is { } record)
        {
            if (record.Stream != "process") continue;
            for (long s = record.FirstSeq; s <= record.LastSeq; s++) pending.Add(s);
        }
        var stored = await platform.StoredSeqsAsync("pump-1", "process");
        Assert.True(next > 500, $"the gateway produced only {next} rows");
        Assert.All(stored, kv => Assert.Equal(1, kv.Value));                        // no duplicates
        Assert.All(stored.Keys, s => Assert.InRange(s, 0, next - 1));
        var missing = Enumerable.Range(0, (int)next).Select(i => (long)i).Where(s => !stored.ContainsKey(s) && !pending.Contains(s)).ToList();
        Assert.Empty(missing);                                                     // nothing lost
        Assert.Equal(0, outbox.Statistics(0).DroppedRows);
    }
}
