using System.Diagnostics;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Load;

/// <summary>Publishes a fixed number of rows of the bench rig as fast as the broker takes them (QoS 1, bounded window).
/// Runs as its own process so that the load does not share a runtime with what it measures.</summary>
public static class LoadGenerator
{
    /// <summary><c>loadgen --port P --site S --rig R --rows N --batch B --sensors K [--start-seq Q] [--rate ROWS_PER_S] [--live]</c></summary>
    public static async Task<int> RunAsync(LoadgenSettings settings, CancellationToken cancellationToken)
    {
        int port = settings.Port;
        string site = settings.Site;
        string rig = settings.Rig;
        long rows = settings.Rows;
        int batch = settings.Batch;
        int sensors = settings.Sensors;
        long startSeq = settings.StartSeq;
        double rate = settings.Rate;
        long periodNs = settings.PeriodNs;
        // --live stamps every row with the time it is published, so that ingest can measure end-to-end latency.
        bool live = settings.Live;
        // By default the synthetic timeline ends now: every row lies within ingest's accepted clock window.
        long startNs = settings.StartNs ?? (UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) - (startSeq + rows) * periodNs) / 1_000_000_000 * 1_000_000_000;

        var names = BenchRig.Sensors(sensors);
        var topic = FieldlabTopic.For(new RigAddress(site, rig), TopicChannel.Samples);
        await using var connection = await MqttConnection.ConnectAsync(new MqttConnectionOptions
        {
            Port = port,
            ClientId = settings.Username ?? $"loadgen-{Guid.NewGuid():N}",
            Username = settings.Username,
            Password = settings.PasswordFile is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null,
            MaxInflight = 2000,
        }, null, cancellationToken);

        // Paced runs stamp rows live, so they encode as they go; otherwise every message is encoded before the clock
        // starts, so that the generator's own work does not compete with what it measures.
        var writer = new SampleBatchWriter();
        byte[] Encode(long seq, int n, long nowNs)
        {
            writer.Begin("bench", seq);
            for (int r = 0; r < n; r++)
            {
                writer.BeginRow(live ? nowNs + r * 1000 : startNs + (seq + r) * periodNs);
                for (int s = 0; s < names.Length; s++) writer.Value(names[s], BenchRig.Value(seq + r, s));
            }
            return writer.Finish().ToArray();
        }
        var prepared = new List<byte[]>();
        if (rate <= 0 && !live)
        {
            for (long seq = startSeq; seq < startSeq + rows; seq += batch) prepared.Add(Encode(seq, (int)Math.Min(batch, startSeq + rows - seq), 0));
        }

        var deliveries = new List<Task>();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"start unix_ns={UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow)}");
        int message = 0;
        for (long seq = startSeq; seq < startSeq + rows; seq += batch, message++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds((seq - startSeq) / rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
            int n = (int)Math.Min(batch, startSeq + rows - seq);
            var payload = prepared.Count > 0 ? prepared[message] : Encode(seq, n, UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow));
            deliveries.Add(connection.PublishAsync(topic, payload, MqttQos.AtLeastOnce, false, cancellationToken));
            if (deliveries.Count >= connection.PublishWindow)
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
