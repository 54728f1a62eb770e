using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>InfluxDB with authentication on: when it refuses ingest's credentials (a password rotated behind its back),
/// ingest turns its health red with the reason and keeps every batch on its spool, its writer alive; once the password
/// is right again the spool drains and every row is stored exactly once. Without credentials InfluxDB refuses
/// <c>/write</c> and <c>/query</c>.</summary>
[Collection("servers")]
public sealed class DatabaseCredentialsTests(ServersFixture servers)
{
    [Fact]
    public async Task RefusedCredentials_TurnHealthRedAndSpool_AndDrainOnceTheyAreRightAgain()
    {
        await using var platform = await Platform.StartAsync(servers);
        using var dir = new TempDirectory("credentials");
        var config = GatewayConfigFile.Parse($$"""
            site: {{platform.Site}}
            rig: pump-1
            {{await platform.GatewayBrokerYamlAsync("pump-1")}}
            simulation: { kind: pump, seed: 5, rate_hz: 20 }
            publish: { batch_interval: 200ms }
            buffer: { dir: '{{dir.Path}}' }
            """, "pump.yaml");
        var gateway = new RigGateway(config, new PumpRig(5, 20), TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(async () => (await platform.StoredSeqsAsync("pump-1", "process")).Count >= 20, TimeSpan.FromSeconds(60));

        // The operator rotates ingest's password in InfluxDB but not in ingest's secret file.
        var user = $"writer_{platform.Database}_svc.ingest-" + platform.Site["site-".Length..];
        var original = (await File.ReadAllTextAsync(platform.IngestPasswordFile)).Trim();
        using var admin = platform.Influx();
        await admin.QueryAsync(new InfluxQuery($"SET PASSWORD FOR {InfluxIdentifier.Quote(user)} = 'rotated-behind-its-back'"), CancellationToken.None, database: "");

        using var http = new HttpClient();
        JsonElement health = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync($"{platform.IngestUrl}/healthz");
            health = await response.Content.ReadFromJsonAsync<JsonElement>();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable && health.GetProperty("influxdb").GetProperty("spool_batches").GetInt32() > 0;
        }, TimeSpan.FromSeconds(60), () => health.ToString());
        var reason = health.GetProperty("influxdb").GetProperty("last_error").GetString();
        Assert.Contains("401", reason);
        Assert.Contains("credentials", reason);
        Assert.True(platform.Ingest.IsRunning, "ingest keeps running");

        // The password is right again: the spool drains, health is green, and nothing was lost or stored twice.
        await admin.QueryAsync(new InfluxQuery($"SET PASSWORD FOR {InfluxIdentifier.Quote(user)} = '{original}'"), CancellationToken.None, database: "");
        long producedDuringOutage = gateway.RowsPublished;
        await Eventually.HoldsAsync(async () => (await http.GetAsync($"{platform.IngestUrl}/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60),
            () => platform.Ingest.Tail());
        Dictionary<long, int> stored = [];
        await Eventually.HoldsAsync(async () =>
        {
            stored = await platform.StoredSeqsAsync("pump-1", "process");
            return Enumerable.Range(0, (int)producedDuringOutage).All(s => stored.ContainsKey(s));
        }, TimeSpan.FromSeconds(60), () => $"{stored.Count} of the {producedDuringOutage} rows produced up to the fix are stored");
        Assert.All(stored, kv => Assert.Equal(1, kv.Value));
        await gateway.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WithoutCredentials_WriteAndQueryAreRefused()
    {
        using var http = new HttpClient();
        using var write = await http.PostAsync($"{servers.Influx.Url}/write?db=fieldlab", new StringContent("x v=1"));
        using var query = await http.PostAsync($"{servers.Influx.Url}/query", new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "SHOW DATABASES" }));
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
    }
}
