using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Broker;
using Fieldlab.Cli.Load;
using Fieldlab.Ingest;
using Fieldlab.Ingest.Samples;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench ingest</c>: in one run on private servers, with the load from a separate process each time,
/// (a) the broker ceiling — Mosquitto delivering the same messages to a bare subscriber; (b) the database ceiling —
/// InfluxDB accepting the same points as large line-protocol batches; (c) Fieldlab end to end, publish → confirmed in
/// InfluxDB; then ingest's peak RSS and the end-to-end latency at half of (c)'s rate.
/// Last line: <c>ingest points_per_s=N ratio_to_ceiling=R</c> with R = (c) / min(a, b).</summary>
public static class IngestBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<int> RunAsync(IngestBenchSettings settings, CancellationToken cancellationToken)
    {
        long rows = settings.Rows;
        int batch = settings.Batch;
        int sensors = settings.Sensors;
        int dbBatch = settings.DatabaseBatch;
        int writers = settings.DatabaseWriters;
        double latencySeconds = settings.LatencySeconds;
        var ingestSettings = new Dictionary<string, string>
        {
            ["Ingest:Writers"] = settings.IngestWriters.ToString(CultureInfo.InvariantCulture),
            ["Ingest:MaxBatchPoints"] = settings.IngestBatch.ToString(CultureInfo.InvariantCulture),
        };

        Console.WriteLine($"bench ingest: {rows} rows × {sensors} sensors (1 row = 1 point), {batch} rows per MQTT message at QoS 1, " +
                          $"{dbBatch} points per database batch; every load from a separate process");
        // As deployed: anonymous access refused, every client its own broker user with its ACL, InfluxDB with
        // authentication and a write-only ingest user; the load logs in as the bench rig's gateway.
        var rig = new RigAddress("bench", "bench-1");
        var access = new LocalAccess();
        var gatewayLogin = access.Gateway(rig);
        access.Client("bench.subscriber", new TopicRule(TopicAccess.Read, FieldlabTopic.For(rig, TopicChannel.Samples)));
        access.Ingest("ingest-bench");
        await using var broker = await LocalMosquitto.StartSecuredAsync(access.Principals, cancellationToken: cancellationToken);
        await using var database = await LocalInfluxDb.StartNewAsync(cancellationToken);
        var secrets = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-secrets-{Guid.NewGuid():N}");
        Directory.CreateDirectory(secrets);
        var loginFile = Path.Combine(secrets, "gateway.password");
        await File.WriteAllTextAsync(loginFile, gatewayLogin.Password, cancellationToken);
        var login = new LoadLogin(gatewayLogin.Username, loginFile);

        double brokerRate = await BrokerCeilingAsync(broker, access, login, rig, rows, batch, sensors, cancellationToken);
        Console.WriteLine($"(a) broker ceiling: Mosquitto → bare subscriber: {brokerRate:F0} points/s");

        double databaseRate = await DatabaseCeilingAsync(database, rig, rows, batch, sensors, dbBatch, writers, cancellationToken);
        var serviceKey = SecuredIngest.NewServiceKey();
        var secured = await SecuredIngest.PrepareAsync(secrets, broker.Port, access.Principals.First(p => p.Username == "svc.ingest-bench"), database, "bench", serviceKey, cancellationToken);
        Console.WriteLine($"(b) database ceiling: InfluxDB ← {dbBatch}-point batches, {writers} writers: {databaseRate:F0} points/s");

        var (endToEnd, rssMb, latencyP99Ms, latencyP50Ms) = await EndToEndAsync(broker, database, login, secured, serviceKey, rig, rows, batch, sensors, latencySeconds, settings.WarmupRows, ingestSettings, cancellationToken);
        Directory.Delete(secrets, recursive: true);
        double ceiling = Math.Min(brokerRate, databaseRate);
        Console.WriteLine($"(c) Fieldlab end to end (publish → confirmed in InfluxDB): {endToEnd:F0} points/s");
        Console.WriteLine($"ingest peak RSS: {rssMb:F0} MB; end-to-end latency at half that rate for {latencySeconds} s: p50 {latencyP50Ms:F0} ms, p99 {latencyP99Ms:F0} ms");
        Console.WriteLine($"ingest points_per_s={endToEnd:F0} ratio_to_ceiling={endToEnd / ceiling:F2}");
        return 0;
    }

    private static async Task<double> BrokerCeilingAsync(LocalMosquitto broker, LocalAccess access, LoadLogin login, RigAddress rig, long rows, int batch, int sensors, CancellationToken cancellationToken)
    {
        long messages = (rows + batch - 1) / batch;
        await using var subscriber = await MqttConnection.ConnectAsync(broker.ClientOptions(access.Principals.First(p => p.Username == "bench.subscriber")), null, cancellationToken);
        await subscriber.SubscribeAsync(FieldlabTopic.For(rig, TopicChannel.Samples), MqttQos.AtLeastOnce, cancellationToken);
        using var load = LoadProcess.Start(broker.Port, rig, rows, batch, sensors, login: login);
        long startNs = await load.StartedAsync(cancellationToken);
        long received = 0;
        while (received < messages)
        {
            await subscriber.Messages.ReadAsync(cancellationToken);
            received++;
        }
        long endNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
        await load.FinishAsync(cancellationToken);
        return rows / ((endNs - startNs) / 1e9);
    }

    private static async Task<double> DatabaseCeilingAsync(LocalInfluxDb database, RigAddress rig, long rows, int batch, int sensors, int dbBatch, int writers, CancellationToken cancellationToken)
    {
        // The same points ingest writes: the load generator's messages run through ingest's own processor (not timed).
        var directory = new RigDirectory();
        directory.SetBirth(rig, BenchRig.Birth(sensors, 1000));
        var processor = new SampleBatchProcessor(new IngestOptions(), directory, TimeProvider.System);
        var bodies = new List<byte[]>();
        var lines = new LineProtocolWriter(4 * 1024 * 1024);
        var writer = new SampleBatchWriter();
        var names = BenchRig.Sensors(sensors);
        long startNs = (UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow) - rows * 1_000_000) / 1_000_000_000 * 1_000_000_000;
        var topic = new FieldlabTopic(rig, TopicChannel.Samples);
        var messages = new List<MqttMessage>();
        for (long seq = 0; seq < rows; seq += batch)
        {
            int n = (int)Math.Min(batch, rows - seq);
            writer.Begin("bench", seq);
            for (int r = 0; r < n; r++)
            {
                writer.BeginRow(startNs + (seq + r) * 1_000_000);
                for (int s = 0; s < sensors; s++) writer.Value(names[s], BenchRig.Value(seq + r, s));
            }
            messages.Add(new MqttMessage(FieldlabTopic.For(rig, TopicChannel.Samples), writer.Finish().ToArray(), MqttQos.AtLeastOnce, false));
        }
        // Timed on one thread: what validation and line protocol alone cost, to tell them from the rest of ingest's CPU.
        double cpuStart = ThreadCpuClock.Seconds();
        foreach (var message in messages)
        {
            processor.Process(topic, message, lines);
            if (lines.PointCount >= dbBatch)
            {
                bodies.Add(lines.WrittenMemory.ToArray());
                lines.Clear();
            }
        }
        double processorCpu = ThreadCpuClock.Seconds() - cpuStart;
        if (lines.PointCount > 0) bodies.Add(lines.WrittenMemory.ToArray());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    ingest's processor alone (JSON → validated line protocol, one thread, not timed in (b)): {processorCpu / (rows / 1e6):F2} CPU-s per million points; {bodies.Sum(b => (long)b.Length) / (double)rows:F0} bytes of line protocol per point"));

        // The same kind of login as ingest's: a write-only user, authenticated on every request.
        await database.CreateUserAsync("ceiling", "ceiling_writer", "ceiling-password", "WRITE", cancellationToken);
        using var influx = new InfluxClient(database.UserOptions("ceiling", "ceiling_writer", "ceiling-password"));
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count) await influx.WriteAsync(bodies[i], cancellationToken);
        }, cancellationToken)));
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, double RssMb, double P99Ms, double P50Ms)> EndToEndAsync(LocalMosquitto broker, LocalInfluxDb database, LoadLogin login,
        Dictionary<string, string> secured, string serviceKey, RigAddress rig, long rows, int batch, int sensors, double latencySeconds,
        long warmupRows, Dictionary<string, string> ingestSettings, CancellationToken cancellationToken)
    {
        int ingestPort = FreePort.Next();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await using var ingest = await ServiceProcess.StartNewAsync("Ingest", new Dictionary<string, string>(secured)
        {
            ["Urls"] = $"http://127.0.0.1:{ingestPort}",
            ["Ingest:SpoolDirectory"] = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-spool-{Guid.NewGuid():N}"),
            ["Ingest:QuarantineDirectory"] = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-quarantine-{Guid.NewGuid():N}"),
            ["Logging:LogLevel:Default"] = "Warning",
        }.Concat(ingestSettings), async ct => (await http.GetAsync($"http://127.0.0.1:{ingestPort}/healthz", ct)).EnsureSuccessStatusCode(),
            typeof(IngestBenchmark).Assembly, cancellationToken);
        await using (var announcer = await MqttConnection.ConnectAsync(broker.ClientOptions(login.Username, username: login.Username,
            password: await File.ReadAllTextAsync(login.PasswordFile, cancellationToken)), null, cancellationToken))
        {
            await announcer.PublishAsync(FieldlabTopic.For(rig, TopicChannel.Birth), WireJson.Encode(BenchRig.Birth(sensors, 1000)), MqttQos.AtLeastOnce, true, cancellationToken);
        }

        if (warmupRows > 0)
        {
            // Not timed: rows of their own sequence range (after the latency run's) and of their own time (from three
            // hours ago, before every timed row: a shared timestamp would overwrite a point), through the same path.
            long warmSeq = 4 * rows + 1_000_000;
            long warmStartNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow - TimeSpan.FromHours(3)) / 1_000_000_000 * 1_000_000_000 - warmSeq * 1_000_000;
            using var warm = LoadProcess.Start(broker.Port, rig, warmupRows, batch, sensors, startSeq: warmSeq, login: login, startNs: warmStartNs);
            await warm.StartedAsync(cancellationToken);
            await WaitStoredAsync(http, ingestPort, warmupRows, ingest, cancellationToken);
            await warm.FinishAsync(cancellationToken);
            Console.WriteLine($"    warm-up: {warmupRows} rows through ingest before (c), not timed");
        }

        long startNs;
        var pids = new Dictionary<string, int> { ["ingest"] = ingest.Pid!.Value, ["influxd"] = database.Pid!.Value, ["mosquitto"] = broker.Pid!.Value };
        var cpuBefore = pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value));
        long allocatedBefore = await AllocatedBytesAsync(http, ingestPort, cancellationToken);
        using var trace = CpuTrace.StartIfAsked(ingest.Pid!.Value);
        var threads = ThreadCpuBreakdown.Start(ingest.Pid!.Value);
        using (var load = LoadProcess.Start(broker.Port, rig, rows, batch, sensors, login: login))
        {
            startNs = await load.StartedAsync(cancellationToken);
            await WaitStoredAsync(http, ingestPort, warmupRows + rows, ingest, cancellationToken);
            await load.FinishAsync(cancellationToken);
        }
        long endNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
        var cpu = pids.ToDictionary(p => p.Key, p => CpuSeconds(p.Value) - cpuBefore[p.Key]);
        var ingestThreads = threads.Stop();
        long allocated = await AllocatedBytesAsync(http, ingestPort, cancellationToken) - allocatedBefore;
        Console.WriteLine($"    ingest CPU seconds by thread during (c): {ThreadCpuBreakdown.Format(ingestThreads)}");
        if (trace is not null) Console.WriteLine($"    CPU trace of ingest during (c): {await trace.StopAsync()}");
        long messages = (rows + batch - 1) / batch;
        Console.WriteLine($"    CPU seconds during (c), {(endNs - startNs) / 1e9:F2} s wall on 2 cores: " +
                          string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value:F2}")) +
                          string.Create(CultureInfo.InvariantCulture, $"; ingest {cpu["ingest"] / (rows / 1e6):F2} CPU-s per million points, influxd {cpu["influxd"] / (rows / 1e6):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    ingest allocated {allocated / 1e6:F0} MB during (c): {allocated / (double)messages / 1024:F1} KiB per message of {batch} rows ({allocated / (double)rows:F0} B per point); MQTT library {MqttLibraryInUse()}"));
        double rate = rows / ((endNs - startNs) / 1e9);

        using var influx = new InfluxClient(database.ClientOptions("bench")); // the audit reads as the admin
        var count = await influx.QueryAsync(new InfluxQuery($"SELECT count(seq) FROM {Fieldlab.Telemetry.Schema.FieldlabSchema.Samples.QuotedName}"), cancellationToken);
        long inDatabase = (long)(count.Single?.GetDouble(0, "count") ?? 0);
        if (inDatabase != rows + warmupRows) throw new InvalidOperationException($"InfluxDB holds {inDatabase} rows, expected {rows} (+ {warmupRows} of the warm-up)");
        Console.WriteLine($"    verified: {inDatabase} points in InfluxDB, {rows * sensors / ((endNs - startNs) / 1e9):F0} values/s");

        // Latency: live-stamped rows at half the measured rate; ingest measures write time − row time per row.
        using (var reset = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{ingestPort}/stats/reset"))
        {
            reset.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", serviceKey);
            (await http.SendAsync(reset, cancellationToken)).EnsureSuccessStatusCode();
        }
        long halfRows = (long)(rate / 2 * latencySeconds);
        using (var paced = LoadProcess.Start(broker.Port, rig, halfRows, batch, sensors, startSeq: rows, rate: rate / 2, live: true, login: login))
        {
            await paced.StartedAsync(cancellationToken);
            await WaitStoredAsync(http, ingestPort, rows + halfRows, ingest, cancellationToken);
            await paced.FinishAsync(cancellationToken);
        }
        var metrics = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>($"http://127.0.0.1:{ingestPort}/stats", cancellationToken);
        double p99 = metrics!["lag_p99_ms"].GetDouble(), p50 = metrics["lag_p50_ms"].GetDouble();
        double rssMb = PeakRssMb(ingest.Pid!.Value);
        return (rate, rssMb, p99, p50);
    }

    private static async Task<long> AllocatedBytesAsync(HttpClient http, int port, CancellationToken cancellationToken)
    {
        using var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/stats", cancellationToken));
        return stats.RootElement.GetProperty("allocated_bytes").GetInt64();
    }

    private static string MqttLibraryInUse() => new MqttConnectionOptions().Library.ToString();

    private static async Task WaitStoredAsync(HttpClient http, int port, long rows, ServiceProcess ingest, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            var metrics = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>($"http://127.0.0.1:{port}/stats", cancellationToken);
            if ((long)metrics!["rows_stored"].GetDouble() >= rows) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not all {rows} rows stored within 10 minutes; ingest log:\n{ingest.Tail()}");
            await Task.Delay(20, cancellationToken);
        }
    }

    private static double CpuSeconds(int pid)
    {
        // /proc/{pid}/stat fields 14 and 15: user and system time in clock ticks (100 per second on Linux).
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double PeakRssMb(int pid)
    {
        // VmHWM: the resident set's high-water mark over the process's life.
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }
}
