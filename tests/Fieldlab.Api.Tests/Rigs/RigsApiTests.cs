using System.Net;
using System.Text.Json;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Tests.Access;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Rigs;

/// <summary>The rig endpoints' handling of bad input and of the database, as an administrator (who may see
/// everything), on the secured API.</summary>
[Collection("servers")]
public sealed class RigsApiTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly SmallTenancy _tenancy = new();
    private ApiUnderTest _api = null!;
    private HttpClient _http = null!;

    private static RigBirth Birth() => new()
    {
        Kind = "pump",
        Streams =
        [
            new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] },
            new StreamSpec { Id = "vibration", RateHz = 12800, Kind = "waveform", Sensors = [new SensorSpec { Id = "accel_x", Unit = "m/s2" }] },
        ],
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, async (db, users) =>
        {
            await _tenancy.SeedAsync(db, users);
            await SiteRegistry.AddRigAsync(db, "lab", "shared-1", null, DateTime.UtcNow, CancellationToken.None);
        });
        _http = _api.Client(await _api.TokenAsync("admin"));
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        directory.SetBirth(SmallTenancy.Rig, Birth());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task UnknownRig_Is404_WithAProblemDetail()
    {
        var (status, body) = await GetAsync("/api/sites/lab/rigs/nope/series?sensor=flow");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("nope", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RegisteredRigWithoutABirth_IsListed_AndHasNoSensorsYet()
    {
        var (status, body) = await GetAsync("/api/sites/lab/rigs/shared-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("online").GetBoolean());
        Assert.Empty(body.GetProperty("sensors").EnumerateArray());
        var (_, series) = await GetAsync("/api/sites/lab/rigs/shared-1/series?sensor=flow");
        Assert.Contains("none known yet", series.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("flow\" FROM samples; DROP DATABASE api_tests; --")]
    [InlineData("flow,rig=x")]
    [InlineData("FLOW")]
    public async Task SensorNotInTheBirth_Is404_SoNoNameReachesAQuery(string sensor)
    {
        var (status, body) = await GetAsync($"/api/sites/lab/rigs/rig-1/series?sensor={Uri.EscapeDataString(sensor)}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("flow", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WaveformAxis_Is400_PointingToItsFeatures()
    {
        var (status, body) = await GetAsync("/api/sites/lab/rigs/rig-1/series?sensor=accel_x");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("waveform_features", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadWindow_Is400_NamingEachParameter()
    {
        var (status, body) = await GetAsync("/api/sites/lab/rigs/rig-1/series?sensor=flow&from=later&every=-1s&agg=avg");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("every", out _));
        Assert.True(errors.TryGetProperty("agg", out _));
    }

    [Fact]
    public async Task MissingSensor_Is400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/sites/lab/rigs/rig-1/series")).Status);
    }

    [Fact]
    public async Task SeriesOfAnEmptyWindow_IsAnEmptyList()
    {
        using (var influx = new Fieldlab.Telemetry.Influx.InfluxClient(servers.Influx.ClientOptions(_api.Database))) await influx.EnsureDatabaseAsync(CancellationToken.None);
        var (status, body) = await GetAsync("/api/sites/lab/rigs/rig-1/series?sensor=flow&from=now-1m");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("count").GetInt32());
        Assert.Equal("m3/h", body.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Latest_IsTheNewestTimestamp_NotTheLastWrite()
    {
        using var influx = new Fieldlab.Telemetry.Influx.InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await influx.EnsureDatabaseAsync(CancellationToken.None);
        long now = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow);
        var lines = new Fieldlab.Telemetry.Influx.LineProtocolWriter();
        // The live row arrives first; a backlog row from a minute earlier arrives after it.
        lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", 42.0).EndPoint(now);
        await influx.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        lines.Clear();
        lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", 7.0).EndPoint(now - 60_000_000_000);
        await influx.WriteAsync(lines.WrittenMemory, CancellationToken.None);

        var (status, body) = await GetAsync("/api/sites/lab/rigs/rig-1/latest?within=1h");
        Assert.Equal(HttpStatusCode.OK, status);
        var flow = body.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("sensor").GetString() == "flow");
        Assert.Equal(42.0, flow.GetProperty("value").GetDouble());
        Assert.Equal(UtcTimestamp.Format(now), flow.GetProperty("t").GetString());
    }

    [Fact]
    public async Task AggregatedBucketsOfTwoVisibleWindows_AreMergedByTheirCounts()
    {
        // A student sees the rig outside a pilot's [T+20s, T+40s): buckets of 1 minute cut by the window come back whole.
        var t0 = new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(-5);
        await _api.WithStoreAsync(async (db, _) =>
            await PilotBook.CreateAsync(db, "company", "cut", [SmallTenancy.Rig], t0.AddSeconds(20), t0.AddSeconds(40), false, DateTime.UtcNow, CancellationToken.None));
        using var influx = new Fieldlab.Telemetry.Influx.InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await influx.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new Fieldlab.Telemetry.Influx.LineProtocolWriter();
        for (int s = 0; s < 60; s++)
            lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", s).EndPoint(UtcTimestamp.ToNanoseconds(new DateTimeOffset(t0.AddSeconds(s))));
        await influx.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        using var pupil = _api.Client(await _api.TokenAsync("pupil"));
        var from = Uri.EscapeDataString(t0.ToString("O"));
        var to = Uri.EscapeDataString(t0.AddSeconds(59).ToString("O"));
        foreach (var (agg, expected) in new[] { ("count", 40.0), ("sum", Enumerable.Range(0, 60).Where(s => s is < 20 or >= 40).Sum()), ("mean", Enumerable.Range(0, 60).Where(s => s is < 20 or >= 40).Average()), ("max", 59.0), ("min", 0.0) })
        {
            var body = JsonDocument.Parse(await pupil.GetStringAsync($"/api/sites/lab/rigs/rig-1/series?sensor=flow&from={from}&to={to}&every=1m&agg={agg}")).RootElement;
            var point = Assert.Single(body.GetProperty("points").EnumerateArray());
            Assert.Equal(expected, point.GetProperty("value").GetDouble(), 9);
        }
    }

    [Fact]
    public async Task DatabaseDown_MakesHealth503_AndSeries503()
    {
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync,
            settings: new Dictionary<string, string?> { ["Influx:Url"] = $"http://127.0.0.1:{FreePort.Next()}" });
        using var http = api.Client(await api.TokenAsync("admin"));
        api.Factory.Services.GetRequiredService<RigDirectory>().SetBirth(SmallTenancy.Rig, Birth());
        using var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"reachable\":false", await health.Content.ReadAsStringAsync());
        using var series = await http.GetAsync("/api/sites/lab/rigs/rig-1/series?sensor=flow");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, series.StatusCode);
    }
}
