using System.Net.Http.Json;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>One isolated Fieldlab on the shared broker and database: its own site id, database, ingest process and
/// API instance, so that tests do not see each other's data.</summary>
internal sealed class Platform : IAsyncDisposable
{
    private Platform(ServersFixture servers, string site, string database, ServiceProcess ingest, int ingestPort, WebApplicationFactory<Fieldlab.Api.Rigs.RigDirectoryListener> api)
    {
        Servers = servers;
        Site = site;
        Database = database;
        Ingest = ingest;
        IngestUrl = $"http://127.0.0.1:{ingestPort}";
        Api = api;
        Http = api.CreateClient();
    }

    public ServersFixture Servers { get; }
    public string Site { get; }
    public string Database { get; }
    public ServiceProcess Ingest { get; }
    public string IngestUrl { get; }
    public WebApplicationFactory<Fieldlab.Api.Rigs.RigDirectoryListener> Api { get; }
    public HttpClient Http { get; }

    public static async Task<Platform> StartAsync(ServersFixture servers, IDictionary<string, string>? ingestSettings = null, LocalMosquitto? broker = null)
    {
        int mqttPort = (broker ?? servers.Mosquitto).Port;
        var id = Guid.NewGuid().ToString("N")[..10];
        var site = $"site-{id}";
        var database = $"e2e_{id}";
        int port = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Mqtt:Port"] = mqttPort.ToString(),
            ["Mqtt:ClientId"] = $"ingest-{id}",
            ["Influx:Url"] = servers.Influx.Url,
            ["Influx:Database"] = database,
            ["Ingest:SharedGroup"] = $"ingest-{id}",
            ["Ingest:UnknownRigGrace"] = "00:00:01",
            ["Ingest:SpoolDirectory"] = Path.Combine(Path.GetTempPath(), $"fieldlab-spool-{id}"),
            ["Ingest:QuarantineDirectory"] = Path.Combine(Path.GetTempPath(), $"fieldlab-quarantine-{id}"),
        };
        foreach (var (k, v) in ingestSettings ?? new Dictionary<string, string>()) settings[k] = v;
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ingest = await ServiceProcess.StartNewAsync("Ingest", settings, async ct =>
        {
            using var response = await probe.GetAsync($"http://127.0.0.1:{port}/healthz", ct);
            response.EnsureSuccessStatusCode();
        }, typeof(Platform).Assembly);

        var api = new WebApplicationFactory<Fieldlab.Api.Rigs.RigDirectoryListener>().WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mqtt:Port"] = mqttPort.ToString(),
                ["Mqtt:ClientId"] = $"api-{id}",
                ["Influx:Url"] = servers.Influx.Url,
                ["Influx:Database"] = database,
            })));
        return new Platform(servers, site, database, ingest, port, api);
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static readonly System.Text.Json.JsonSerializerOptions Json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An InfluxDB client of this platform's database.</summary>
    public Fieldlab.Telemetry.Influx.InfluxClient Influx() => new(Servers.Influx.ClientOptions(Database));

    /// <summary>Sequence numbers stored for a stream, with how often each occurs.</summary>
    public async Task<Dictionary<long, int>> StoredSeqsAsync(string rig, string stream, string measurement = "samples")
    {
        using var influx = Influx();
        var result = await influx.QueryAsync(new Fieldlab.Telemetry.Influx.InfluxQuery(
            $"SELECT seq FROM \"{measurement}\" WHERE rig = $rig AND stream = $stream").Bind("rig", rig).Bind("stream", stream), CancellationToken.None);
        var counts = new Dictionary<long, int>();
        if (result.Single is { } series)
        {
            int column = series.ColumnIndex("seq");
            foreach (var row in series.Rows) counts[row[column].GetInt64()] = counts.GetValueOrDefault(row[column].GetInt64()) + 1;
        }
        return counts;
    }

    public async Task<Dictionary<string, long>> IngestMetricsAsync()
    {
        using var client = new HttpClient();
        return (await client.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>($"{IngestUrl}/metrics"))!
            .Where(kv => kv.Value.ValueKind == System.Text.Json.JsonValueKind.Number)
            .ToDictionary(kv => kv.Key, kv => (long)kv.Value.GetDouble());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        await Ingest.DisposeAsync();
    }
}

/// <summary>The API's JSON shapes, as a client sees them.</summary>
internal sealed record RigDto(string Site, string Rig, string? Kind, bool Online, string? OfflineReason, List<SensorDto> Sensors);

internal sealed record SensorDto(string Id, string Unit, string Stream, double RateHz);

internal sealed record SeriesDto(string Site, string Rig, string Sensor, string Unit, int Count, bool Truncated, List<PointDto> Points);

internal sealed record PointDto(string T, double Value);
