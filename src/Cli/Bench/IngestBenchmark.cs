using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Cli.Load;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench ingest</c>: end-to-end throughput of the real path (separate load process → Mosquitto → ingest
/// process → InfluxDB), on private servers started for the run. Last line: <c>ingest points_per_s=N</c>.</summary>
public static class IngestBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        long rows = args.Long("rows", 1_000_000);
        int batch = (int)args.Long("batch", 500);
        int sensors = (int)args.Long("sensors", 6);
        args.RejectUnknown();

        Console.WriteLine($"bench ingest: {rows} rows × {sensors} sensors, {batch} rows per message, QoS 1; load from a separate process");
        await using var broker = await LocalMosquitto.StartNewAsync(cancellationToken: cancellationToken);
        await using var database = await LocalInfluxDb.StartNewAsync(cancellationToken);
        int ingestPort = FreePort.Next();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var ingest = await ServiceProcess.StartNewAsync("Ingest", new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{ingestPort}",
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = "ingest-bench",
            ["Influx:Url"] = database.Url,
            ["Influx:Database"] = "bench",
            ["Logging:LogLevel:Default"] = "Warning",
        }, async ct => (await http.GetAsync($"http://127.0.0.1:{ingestPort}/healthz", ct)).EnsureSuccessStatusCode(),
            typeof(IngestBenchmark).Assembly, cancellationToken);

        var rig = new RigAddress("bench", "bench-1");
        await using (var announcer = await MqttConnection.ConnectAsync(broker.ClientOptions("bench-announcer"), null, cancellationToken))
        {
            await announcer.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(BenchRig.Birth(sensors, 1000)), MqttQos.AtLeastOnce, true, cancellationToken);
        }

        var load = StartLoadGenerator(broker.Port, rig, rows, batch, sensors);
        var startLine = await load.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("load generator said nothing");
        long startNs = long.Parse(startLine.Split('=')[1], CultureInfo.InvariantCulture);

        long stored = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (stored < rows)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {stored} of {rows} rows stored after 10 minutes; ingest log:\n{ingest.Tail()}");
            await Task.Delay(20, cancellationToken);
            var metrics = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>($"http://127.0.0.1:{ingestPort}/metrics", cancellationToken);
            stored = (long)metrics!["rows_stored"].GetDouble();
        }
        long endNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
        var loadSummary = await load.StandardOutput.ReadToEndAsync(cancellationToken);
        await load.WaitForExitAsync(cancellationToken);

        using var influx = new InfluxClient(database.ClientOptions("bench"));
        var count = await influx.QueryAsync(new InfluxQuery("SELECT count(seq) FROM samples"), cancellationToken);
        long inDatabase = (long)(count.Single?.GetDouble(0, "count") ?? 0);
        if (inDatabase != rows) throw new InvalidOperationException($"InfluxDB holds {inDatabase} rows, expected {rows}");

        double seconds = (endNs - startNs) / 1e9;
        double pointsPerSecond = rows / seconds;
        Console.WriteLine(loadSummary.Trim());
        Console.WriteLine($"stored rows={rows} verified_in_influxdb={inDatabase} seconds={seconds:F3} values_per_s={rows * sensors / seconds:F0}");
        Console.WriteLine($"ingest points_per_s={pointsPerSecond:F0}");
        return 0;
    }

    private static Process StartLoadGenerator(int port, RigAddress rig, long rows, int batch, int sensors)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { typeof(IngestBenchmark).Assembly.Location, "loadgen", "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--site", rig.Site, "--rig", rig.Rig, "--rows", rows.ToString(CultureInfo.InvariantCulture),
                     "--batch", batch.ToString(CultureInfo.InvariantCulture), "--sensors", sensors.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the load generator");
    }
}
