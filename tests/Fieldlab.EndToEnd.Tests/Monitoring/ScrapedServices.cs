using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.EndToEnd.Tests.Monitoring;

/// <summary>A platform (broker, ingest process, API on a real port) plus one real gateway process with a simulated pump
/// serving its metrics on a loopback port: the three kinds of service Prometheus scrapes.</summary>
internal sealed class ScrapedServices : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private ScrapedServices(Platform platform, ServiceProcess gateway, int gatewayPort, TempDirectory dir)
    {
        Platform = platform;
        Gateway = gateway;
        GatewayMetricsUrl = $"http://127.0.0.1:{gatewayPort}";
        _dir = dir;
    }

    public Platform Platform { get; }
    public ServiceProcess Gateway { get; }
    public string GatewayMetricsUrl { get; }
    /// <summary>The gateway id (the default for rig pump-1).</summary>
    public const string GatewayId = "gw-pump-1";

    /// <summary>Each job of deploy/prometheus/prometheus.yml with the loopback host:port of its service here.</summary>
    public IReadOnlyDictionary<string, string> Targets => new Dictionary<string, string>
    {
        ["ingest"] = new Uri(Platform.IngestUrl).Authority,
        ["api"] = new Uri(Platform.ApiUrl!).Authority,
        ["gateway"] = new Uri(GatewayMetricsUrl).Authority,
    };

    public static async Task<ScrapedServices> StartAsync(ServersFixture servers, IDictionary<string, string>? ingestSettings = null)
    {
        var platform = await Platform.StartAsync(servers, ingestSettings, apiPort: FreePort.Next());
        var dir = new TempDirectory("metrics-gw");
        try
        {
            var config = dir.File("pump.yaml");
            await File.WriteAllTextAsync(config, $$"""
                site: {{platform.Site}}
                rig: pump-1
                {{await platform.GatewayBrokerYamlAsync("pump-1")}}
                simulation: { kind: pump, seed: 12, rate_hz: 20 }
                publish: { batch_interval: 200ms }
                buffer: { dir: '{{dir.File("buffer")}}', max_mb: 16 }
                delivery: { confirm: ingest, health_interval: 1s }
                """);
            int port = FreePort.Next();
            var dll = ServiceProcess.AssemblyPath("Gateway", typeof(ScrapedServices).Assembly);
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var gateway = await ServiceProcess.StartCommandAsync("gateway",
                $"dotnet {ServiceProcess.Quote(dll)} --config {ServiceProcess.Quote(config)} --Metrics:Listen=http://127.0.0.1:{port}",
                async ct => (await probe.GetAsync($"http://127.0.0.1:{port}/metrics", ct)).EnsureSuccessStatusCode());
            return new ScrapedServices(platform, gateway, port, dir);
        }
        catch
        {
            dir.Dispose();
            await platform.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Platform.DisposeAsync();
        _dir.Dispose();
    }
}
