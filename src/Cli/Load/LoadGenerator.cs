using System.Diagnostics;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Load;

/// <summary>Publishes a fixed number of rows of the bench rig as fast as the broker takes them (QoS 1, bounded window).
/// Runs as its own process so that the load does not share a runtime with what it measures.</summary>
public static class LoadGenerator
{
    /// <summary><c>loadgen --port P --site S --rig R --rows N --batch B --sensors K [--start-seq Q] [--rate ROWS_PER_S] [--live]</c></summary>
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        int port = (int)args.Long("port", 1883);
        string site = args.String("site") ?? "bench";
        string rig = args.String("rig") ?? "bench-1";
        long rows = args.Long("rows", 100_000);
        int batch = (int)args.Long("batch", 500);
        int sensors = (int)args.Long("sensors", 6);
        long startSeq = args.Long("start-seq", 0);
        double rate = args.Double("rate", 0);
        long periodNs = args.Long("period-ns", 1_000_000);
        // --live stamps every row with the time it is published, so that ingest can measure end-to-end latency.
        bool live = args.String("live") == "true";
        // By default the synthetic timeline ends now: every row lies within ingest's accepted clock window.
        long startNs = args.Long("start-ns", (UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) - (startSeq + rows) * periodNs) / 1_000_000_000 * 1_000_000_000);
        args.RejectUnknown();

        var names = BenchRig.Sensors(sensors);
        var topic = FieldlabTopic.For(new RigAddress(site, rig), TopicChannel.Samples);
        await using var connection = await MqttConnection.ConnectAsync(new MqttConnectionOptions
        {
            Port = port,
            ClientId = $"loadgen-{Guid.NewGuid():N}",
            MaxInflight = 2000,
        }, null, cancellationToken);

        var writer = new SampleBatchWriter();
        var deliveries = new List<Task>();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"start unix_ns={UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow)}");
        for (long seq = startSeq; seq < startSeq + rows; seq += batch)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds((seq - startSeq) / rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
            int n = (int)Math.Min(batch, startSeq + rows - seq);
            writer.Begin("bench", seq);
            long nowNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
            for (int r = 0; r < n; r++)
            {
                writer.BeginRow(live ? nowNs + r * 1000 : startNs + (seq + r) * periodNs);
                for (int s = 0; s < names.Length; s++) writer.Value(names[s], BenchRig.Value(seq + r, s));
            }
            deliveries.Add(await connection.EnqueuePublishAsync(topic, writer.Finish(), MqttQos.AtLeastOnce, false, cancellationToken));
            if (deliveries.Count >= 4096)
            {
                await Task.WhenAll(deliveries);
                deliveries.Clear();
            }
        }
        await Task.WhenAll(deliveries);
        Console.WriteLine($"published rows={rows} seconds={clock.Elapsed.TotalSeconds:F3}");
        return 0;
    }
}
