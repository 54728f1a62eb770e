using System.Net;
using System.Text.Json;
using Fieldlab.Api.Rigs;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Rigs;

[Collection("servers")]
public sealed class RigsApiTests(ServersFixture servers) : IAsyncLifetime
{
    private WebApplicationFactory<RigDirectoryListener> _api = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _api = Host(servers.Influx.Url);
        _http = _api.CreateClient();
        var directory = _api.Services.GetRequiredService<RigDirectory>();
        var birth = new RigBirth
        {
            Kind = "pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] }],
        };
        directory.SetBirth(new RigAddress("lab-a", "pump-1"), birth);
        directory.SetBirth(new RigAddress("lab-a", "shared-1"), birth);
        directory.SetBirth(new RigAddress("lab-b", "shared-1"), birth);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    private WebApplicationFactory<RigDirectoryListener> Host(string influxUrl) =>
        new WebApplicationFactory<RigDirectoryListener>().WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = servers.Mosquitto.Port.ToString(),
            ["Mqtt:ClientId"] = "api-" + Guid.NewGuid().ToString("N")[..8],
            ["Influx:Url"] = influxUrl,
            ["Influx:Database"] = "api_tests",
            ["Influx:MaxRetries"] = "0",
        })));

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task UnknownRig_Is404_WithAProblemDetail()
    {
        var (status, body) = await GetAsync("/api/rigs/nope/series?sensor=flow");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("nope", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RigIdAtTwoSites_IsAmbiguousWithoutSite_AndFoundWithIt()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await GetAsync("/api/rigs/shared-1")).Status);
        var (status, body) = await GetAsync("/api/rigs/shared-1?site=lab-b");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("lab-b", body.GetProperty("site").GetString());
    }

    [Theory]
    [InlineData("flow\" FROM samples; DROP DATABASE api_tests; --")]
    [InlineData("flow,rig=x")]
    [InlineData("FLOW")]
    public async Task SensorNotInTheBirth_Is404_SoNoNameReachesAQuery(string sensor)
    {
        var (status, body) = await GetAsync($"/api/rigs/pump-1/series?sensor={Uri.EscapeDataString(sensor)}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("flow", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadWindow_Is400_NamingEachParameter()
    {
        var (status, body) = await GetAsync("/api/rigs/pump-1/series?sensor=flow&from=later&every=-1s&agg=avg");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("every", out _));
        Assert.True(errors.TryGetProperty("agg", out _));
    }

    [Fact]
    public async Task MissingSensor_Is400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/rigs/pump-1/series")).Status);
    }

    [Fact]
    public async Task SeriesOfAnEmptyDatabaseWindow_IsAnEmptyList()
    {
        using var influx = new Fieldlab.Telemetry.Influx.InfluxClient(servers.Influx.ClientOptions("api_tests"));
        await influx.EnsureDatabaseAsync(CancellationToken.None);
        var (status, body) = await GetAsync("/api/rigs/pump-1/series?sensor=flow&from=now-1m");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("count").GetInt32());
        Assert.Equal("m3/h", body.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Latest_IsTheNewestTimestamp_NotTheLastWrite()
    {
        using var influx = new Fieldlab.Telemetry.Influx.InfluxClient(servers.Influx.ClientOptions("api_tests"));
        await influx.EnsureDatabaseAsync(CancellationToken.None);
        long now = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
        var lines = new Fieldlab.Telemetry.Influx.LineProtocolWriter();
        // The live row arrives first; a backlog row from a minute earlier arrives after it.
        lines.BeginPoint("samples").Tag("rig", "pump-1").Tag("site", "lab-a").Tag("stream", "process").Field("flow", 42.0).EndPoint(now);
        await influx.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        lines.Clear();
        lines.BeginPoint("samples").Tag("rig", "pump-1").Tag("site", "lab-a").Tag("stream", "process").Field("flow", 7.0).EndPoint(now - 60_000_000_000);
        await influx.WriteAsync(lines.WrittenMemory, CancellationToken.None);

        var (status, body) = await GetAsync("/api/rigs/pump-1/latest?within=1h");
        Assert.Equal(HttpStatusCode.OK, status);
        var flow = body.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("sensor").GetString() == "flow");
        Assert.Equal(42.0, flow.GetProperty("value").GetDouble());
        Assert.Equal(UtcTimestamp.Format(now), flow.GetProperty("t").GetString());
    }

    [Fact]
    public async Task DatabaseDown_MakesHealth503_AndSeries503()
    {
        await using var api = Host($"http://127.0.0.1:{FreePort.Next()}");
        using var http = api.CreateClient();
        api.Services.GetRequiredService<RigDirectory>().SetBirth(new RigAddress("lab-a", "pump-1"), new RigBirth
        {
            Kind = "pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] }],
        });
        using var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"reachable\":false", await health.Content.ReadAsStringAsync());
        using var series = await http.GetAsync("/api/rigs/pump-1/series?sensor=flow");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, series.StatusCode);
    }
}
