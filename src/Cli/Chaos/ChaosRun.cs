using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Cli.Chaos;

/// <summary><c>chaos</c>: the five failure scenarios of docs/reliability.md, one after the other, against a running load
/// (two simulated rigs in one gateway process, behind a proxy that can cut it off; two ingest replicas sharing the load),
/// each followed by an audit by sequence number: every row the gateways produced must be in InfluxDB exactly once.</summary>
/// <remarks>Durations are the issue's (Mosquitto restarts, InfluxDB stopped 60 s, ingest killed, gateway cut off 5
/// minutes, a replica killed) multiplied by <see cref="ChaosOptions.Scale"/>; the test suite runs it at 0.1.</remarks>
public sealed class ChaosRun(ChaosOptions options, TextWriter output)
{
    private static readonly string[] Rigs = ["pump-1", "pump-2"];

    // Shared: a replica's readiness probe runs again whenever it is restarted.
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly LocalAccess _access = new();
    private LocalMosquitto _broker = null!;
    private LocalInfluxDb _influx = null!;
    private TcpProxy _proxy = null!;
    private ServiceProcess _ingestA = null!;
    private ServiceProcess _ingestB = null!;
    private ServiceProcess _gateway = null!;
    private string _work = null!;
    private readonly List<ScenarioResult> _results = [];

    /// <summary>The per-scenario results after <see cref="RunAsync"/>.</summary>
    public IReadOnlyList<ScenarioResult> Results => _results;

    /// <summary>Runs every scenario and the final audit; returns the totals.</summary>
    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        _work = Path.Combine(Path.GetTempPath(), $"fieldlab-chaos-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_work);
        try
        {
            await StartAsync(cancellationToken);
            await Scenario("mosquitto-sigterm", async () =>
            {
                await _broker.StopAsync();
                await Pause(TimeSpan.FromSeconds(5), cancellationToken);
                await _broker.StartAsync(cancellationToken);
            }, cancellationToken);
            await Scenario("mosquitto-sigkill", async () =>
            {
                await _broker.KillAsync();
                await Pause(TimeSpan.FromSeconds(5), cancellationToken);
                await _broker.StartAsync(cancellationToken);
            }, cancellationToken);
            await Scenario("influxdb-stopped", async () =>
            {
                await _influx.StopAsync();
                await Pause(Scaled(TimeSpan.FromSeconds(60)), cancellationToken, watchMemory: true);
                await _influx.StartAsync(cancellationToken);
            }, cancellationToken);
            await Scenario("ingest-sigkill", async () =>
            {
                await _ingestA.KillAsync();
                await Pause(TimeSpan.FromSeconds(3), cancellationToken);
                await _ingestA.StartAsync(cancellationToken);
            }, cancellationToken);
            await Scenario("gateway-cut-off", async () =>
            {
                _proxy.Cut();
                await Pause(Scaled(TimeSpan.FromMinutes(5)), cancellationToken);
                _proxy.Restore();
            }, cancellationToken);
            await Scenario("replica-killed", async () =>
            {
                await _ingestB.KillAsync(); // not restarted: replica A carries the load alone from here on
                await Pause(TimeSpan.FromSeconds(5), cancellationToken);
            }, cancellationToken);

            // The end: let what is in flight settle as after every scenario, then the gateway stops sampling and drains
            // its buffer; then every row it ever produced must be stored.
            await AuditAsync("settle", TimeSpan.FromMinutes(5), cancellationToken);
            await _gateway.StopAsync(TimeSpan.FromMinutes(2));
            var total = await AuditAsync("total", TimeSpan.FromMinutes(2), cancellationToken);
            return total;
        }
        finally
        {
            foreach (var process in new ServerProcess?[] { _gateway, _ingestA, _ingestB, _influx, _broker })
            {
                if (process is not null) await process.DisposeAsync();
            }
            if (_proxy is not null) await _proxy.DisposeAsync();
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private TimeSpan Scaled(TimeSpan duration) => TimeSpan.FromTicks((long)(duration.Ticks * options.Scale));

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // With authentication and ACLs on, as deployed: each gateway and replica is its own broker user, ingest writes with a
        // write-only database user.
        foreach (var rig in Rigs) _access.Gateway(new RigAddress("chaos", rig));
        _access.Ingest("ingest-a");
        _access.Ingest("ingest-b");
        _broker = await LocalMosquitto.StartSecuredAsync(_access.Principals, cancellationToken: cancellationToken);
        _influx = await LocalInfluxDb.StartNewAsync(cancellationToken);
        _proxy = TcpProxy.Start(_broker.Port);
        _ingestA = await StartIngestAsync("a", cancellationToken);
        _ingestB = await StartIngestAsync("b", cancellationToken);
        var configs = new List<string>();
        foreach (var rig in Rigs)
        {
            var path = Path.Combine(_work, $"{rig}.yaml");
            var login = _access.Gateway(new RigAddress("chaos", rig));
            var passwordFile = Path.Combine(_work, $"{login.Username}.password");
            await File.WriteAllTextAsync(passwordFile, login.Password, cancellationToken);
            await File.WriteAllTextAsync(path, $$"""
                site: chaos
                rig: {{rig}}
                broker: { host: 127.0.0.1, port: {{_proxy.Port}}, username: {{login.Username}}, password_file: '{{passwordFile}}' }
                simulation: { kind: pump, seed: {{configs.Count + 1}}, rate_hz: {{options.RateHz.ToString(CultureInfo.InvariantCulture)}} }
                publish: { batch_interval: 200ms }
                buffer: { dir: '{{Path.Combine(_work, "buffer", rig)}}' }
                delivery: { confirm: ingest, confirm_timeout: 10s, live_window: 5s, backlog_rows_per_s: 5000, health_interval: 1s, drain_on_stop: 60s }
                """, cancellationToken);
            configs.Add(path);
        }
        var dll = ServiceProcess.AssemblyPath("Gateway", typeof(ChaosRun).Assembly);
        _gateway = await ServiceProcess.StartCommandAsync("gateway",
            $"dotnet {ServiceProcess.Quote(dll)} {string.Join(' ', configs.Select(c => "--config " + ServiceProcess.Quote(c)))}", cancellationToken: cancellationToken);
        output.WriteLine($"chaos: 2 rigs × {options.RateHz} rows/s through a cuttable proxy, 2 ingest replicas, durations × {options.Scale}");
        await WaitAsync(async () => (await StoredAsync(Rigs[0], long.MaxValue, cancellationToken)).Distinct > 0, TimeSpan.FromMinutes(1), cancellationToken);
    }

    private async Task<ServiceProcess> StartIngestAsync(string name, CancellationToken cancellationToken)
    {
        int port = FreePort.Next();
        var principal = _access.Principals.First(p => p.Username == $"svc.ingest-{name}");
        var secured = await SecuredIngest.PrepareAsync(Path.Combine(_work, $"secrets-{name}"), _broker.Port, principal, _influx, "chaos", SecuredIngest.NewServiceKey(), cancellationToken);
        var ingest = await ServiceProcess.StartNewAsync("Ingest", new Dictionary<string, string>(secured)
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Ingest:SpoolDirectory"] = Path.Combine(_work, $"spool-{name}"),
            ["Ingest:QuarantineDirectory"] = Path.Combine(_work, $"quarantine-{name}"),
            // A replica gone longer than this leaves the shared group (see docs/reliability.md); scaled like the outages.
            ["Mqtt:SessionExpiry"] = TimeSpan.FromSeconds(Math.Max(10, 120 * options.Scale)).ToString("c", CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        }, async ct => (await Probe.GetAsync($"http://127.0.0.1:{port}/stats", ct)).EnsureSuccessStatusCode(), typeof(ChaosRun).Assembly, cancellationToken);
        return ingest;
    }

    private double _rssMaxMb;

    private async Task Pause(TimeSpan duration, CancellationToken cancellationToken, bool watchMemory = false)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            if (watchMemory)
            {
                foreach (var ingest in new[] { _ingestA, _ingestB })
                {
                    if (ingest.Pid is { } pid) _rssMaxMb = Math.Max(_rssMaxMb, RssMb(pid));
                }
            }
        }
    }

    private async Task Scenario(string name, Func<Task> fault, CancellationToken cancellationToken)
    {
        _rssMaxMb = 0;
        var clock = Stopwatch.StartNew();
        await fault();
        var result = await AuditAsync(name, TimeSpan.FromMinutes(3), cancellationToken);
        result = result with { RecoverySeconds = clock.Elapsed.TotalSeconds, IngestRssMaxMb = _rssMaxMb };
        _results.Add(result);
        output.WriteLine(result.ToLine());
    }

    /// <summary>Waits until every row produced up to now (per the gateways' buffer state) is stored, then counts.</summary>
    private async Task<ScenarioResult> AuditAsync(string name, TimeSpan patience, CancellationToken cancellationToken)
    {
        var produced = Rigs.ToDictionary(r => r, ProducedRows);
        var clock = Stopwatch.StartNew();
        long published = produced.Values.Sum(), stored = 0, duplicates = 0;
        while (true)
        {
            stored = 0;
            duplicates = 0;
            foreach (var rig in Rigs)
            {
                var counts = await StoredAsync(rig, produced[rig], cancellationToken);
                stored += counts.Distinct;
                duplicates += counts.Duplicates;
            }
            if (stored >= published || clock.Elapsed > patience) break;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        return new ScenarioResult(name, published, stored, published - stored, duplicates, clock.Elapsed.TotalSeconds, 0);
    }

    private long ProducedRows(string rig)
    {
        var state = Path.Combine(_work, "buffer", rig, "state.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(state));
            return json.RootElement.GetProperty("streams").TryGetProperty("process", out var s) ? s.GetProperty("next_seq").GetInt64() : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private async Task<(long Distinct, long Duplicates)> StoredAsync(string rig, long belowSeq, CancellationToken cancellationToken)
    {
        using var influx = new InfluxClient(_influx.ClientOptions("chaos"));
        try
        {
            var result = await influx.QueryAsync(new InfluxQuery($"SELECT count(seq) AS n, count(distinct(seq)) AS d FROM {Fieldlab.Telemetry.Schema.FieldlabSchema.Samples.QuotedName} WHERE rig = $rig AND seq < $below")
                .Bind("rig", rig).Bind("below", belowSeq), cancellationToken);
            if (result.Single is not { } s) return (0, 0);
            long n = (long)(s.GetDouble(0, "n") ?? 0), d = (long)(s.GetDouble(0, "d") ?? 0);
            return (d, n - d);
        }
        catch (InfluxException)
        {
            return (0, 0); // database down or not created yet
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan patience, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > patience) throw new TimeoutException("the load did not start flowing");
            await Task.Delay(200, cancellationToken);
        }
    }

    private static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (IOException)
        {
            // Process gone.
        }
        return 0;
    }
}

/// <summary>Options of a chaos run.</summary>
/// <param name="Scale">Multiplies the long outages (60 s, 5 min); 1 is the issue's full length.</param>
/// <param name="RateHz">Rows per second per rig.</param>
public sealed record ChaosOptions(double Scale = 1, double RateHz = 200);

/// <summary>The audit after one scenario (or of the whole run).</summary>
public sealed record ScenarioResult(string Scenario, long Published, long Stored, long Lost, long Duplicates, double RecoverySeconds, double IngestRssMaxMb)
{
    /// <summary>The <c>key=value</c> line people script against.</summary>
    public string ToLine() => Scenario == "total"
        ? $"chaos published={Published} stored={Stored} lost={Lost} duplicates={Duplicates}"
        : string.Create(CultureInfo.InvariantCulture, $"chaos scenario={Scenario} published={Published} stored={Stored} lost={Lost} duplicates={Duplicates} recovery_s={RecoverySeconds:F1}")
          + (IngestRssMaxMb > 0 ? string.Create(CultureInfo.InvariantCulture, $" ingest_rss_max_mb={IngestRssMaxMb:F0}") : "");
}
