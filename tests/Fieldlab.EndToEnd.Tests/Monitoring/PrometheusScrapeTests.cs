using System.Globalization;
using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.EndToEnd.Tests.Monitoring;

/// <summary>Debian's real Prometheus scrapes a running ingest, API and gateway with the deployment's scrape
/// configuration (deploy/prometheus/prometheus.yml, targets and intervals made local), and its query API shows the
/// targets up and the services' series with values.</summary>
[Collection("servers")]
public sealed class PrometheusScrapeTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_WithTheDeployedScrapeConfig_SeesEveryServiceUp_AndItsCountersGrow()
    {
        await using var services = await ScrapedServices.StartAsync(servers);
        var platform = services.Platform;
        using var secrets = new TempDirectory("prom-secrets");
        await File.WriteAllTextAsync(secrets.File("scrape.token"), SecuredIngest.NewServiceKey());
        var config = LocalPrometheus.ScrapeConfig(services.Targets, TimeSpan.FromSeconds(1), secrets.File("scrape.token"));
        await using var prometheus = await LocalPrometheus.StartNewAsync(config);

        // Requests the API's request-duration histogram counts, on the real port (where Prometheus scrapes too).
        using var http = new HttpClient();
        for (int i = 0; i < 3; i++) (await http.GetAsync($"{platform.ApiUrl}/healthz")).Dispose();

        string Describe() => $"prometheus:\n{prometheus.Tail()}\ngateway:\n{services.Gateway.Tail()}\ningest:\n{platform.Ingest.Tail()}";
        IReadOnlyList<(string Job, string ScrapeUrl, string Health, string LastError)> targets = [];
        await Eventually.HoldsAsync(async () =>
        {
            targets = await prometheus.TargetsAsync();
            return targets.Count == 3 && targets.All(t => t.Health == "up");
        }, Patience, () => string.Join("; ", targets.Select(t => $"{t.Job} {t.ScrapeUrl} {t.Health} {t.LastError}")) + "\n" + Describe());
        Assert.Equal(["api", "gateway", "ingest"], targets.Select(t => t.Job).Order());
        Assert.All(targets, t => Assert.EndsWith("/metrics", t.ScrapeUrl, StringComparison.Ordinal));

        // Each service's own figures arrive through the scrape, with values: rows stored by ingest, rows the gateway
        // published and had confirmed (labelled with its gateway id, site and rig), the API's requests per route.
        var rig = $"gateway=\"{ScrapedServices.GatewayId}\",site=\"{platform.Site}\",rig=\"pump-1\"";
        await AssertEventuallyPositiveAsync(prometheus, "sum(fieldlab_ingest_rows_stored_total{job=\"ingest\"})", Describe);
        await AssertEventuallyPositiveAsync(prometheus, "sum(fieldlab_ingest_write_duration_seconds_count{job=\"ingest\"})", Describe);
        await AssertEventuallyPositiveAsync(prometheus, "sum(fieldlab_ingest_lag_seconds_count{job=\"ingest\"})", Describe);
        await AssertEventuallyPositiveAsync(prometheus, $"fieldlab_gateway_rows_published_total{{job=\"gateway\",{rig}}}", Describe);
        await AssertEventuallyPositiveAsync(prometheus, $"fieldlab_gateway_rows_confirmed_total{{job=\"gateway\",{rig}}}", Describe);
        await AssertEventuallyPositiveAsync(prometheus, $"fieldlab_gateway_buffer_capacity_bytes{{job=\"gateway\",{rig}}}", Describe);
        await AssertEventuallyPositiveAsync(prometheus, $"fieldlab_gateway_connected{{job=\"gateway\",{rig}}}", Describe);
        await AssertEventuallyPositiveAsync(prometheus, "sum(http_server_request_duration_seconds_count{job=\"api\",http_route=\"/healthz\",http_request_method=\"GET\"})", Describe);
        var viewers = await prometheus.QueryAsync("fieldlab_api_live_viewers{job=\"api\"}");
        Assert.True(viewers.Count == 1 && viewers[0].Value == 0, $"live viewers: {string.Join(", ", viewers.Select(v => v.Value))}");
        var dropped = await prometheus.QueryAsync($"fieldlab_gateway_rows_dropped_total{{job=\"gateway\",{rig}}}");
        Assert.Equal(["buffer_full", "given_up"], dropped.Select(d => d.Labels["reason"]).Order());
    }

    private static async Task AssertEventuallyPositiveAsync(LocalPrometheus prometheus, string promql, Func<string> describe)
    {
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> result = [];
        await Eventually.HoldsAsync(async () =>
        {
            result = await prometheus.QueryAsync(promql);
            return result.Count > 0 && result.All(r => r.Value > 0);
        }, Patience, () => $"{promql} → [{string.Join(", ", result.Select(r => r.Value.ToString(CultureInfo.InvariantCulture)))}]\n{describe()}");
    }
}
