using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Series;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;

namespace Fieldlab.Api.Tests.Series;

/// <summary>The series endpoint reads the downsampled means for whole-hour buckets: the values are the aggregates of
/// the raw points (computed here), read from <c>means_1h</c> (points written after the backfill are not in them), and
/// a company member gets only the hours that lie wholly inside its pilot's window while an administrator gets all.</summary>
[Collection("servers")]
public sealed class SeriesMeansTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly SmallTenancy _tenancy = new();
    private ApiUnderTest _api = null!;
    private InfluxClient _admin = null!;
    // Six hours, two days ago: inside the raw retention, long settled for the continuous queries.
    private readonly DateTimeOffset _start = FieldlabSchema.SamplesPerHour.Floor(DateTimeOffset.UtcNow.AddDays(-2));
    private readonly List<(DateTimeOffset T, double Flow)> _raw = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, _tenancy.SeedAsync);
        _admin = new InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await InfluxDatabaseSetup.EnsureAsync(_admin, new RetentionSettings(), CancellationToken.None);
        await using var gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        await gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(MatrixTenancy.Birth()), MqttQos.AtLeastOnce, true, CancellationToken.None);

        var random = new Random(1202);
        // Uneven: hours hold different numbers of points, so a mean of hourly means would differ from the mean.
        for (var t = _start; t < _start.AddHours(6); t = t.AddSeconds(30 + 30 * ((t - _start).Hours % 3))) _raw.Add((t, Math.Round(random.NextDouble() * 50, 2)));
        await WriteAsync(_raw);
        foreach (var d in new[] { FieldlabSchema.SamplesPerMinute, FieldlabSchema.SamplesPerHour })
            await _admin.QueryAsync(new InfluxQuery(d.Backfill(_start, _start.AddHours(6))), CancellationToken.None);
        // Arrived after the aggregates were made: the raw samples have it, the means do not.
        await WriteAsync([(_start.AddHours(2).AddMinutes(59).AddSeconds(45), 1e6)]);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _api.DisposeAsync();
    }

    private async Task WriteAsync(IEnumerable<(DateTimeOffset T, double Flow)> points)
    {
        var lines = new LineProtocolWriter();
        foreach (var (t, flow) in points)
            lines.BeginPoint(FieldlabSchema.Samples.LineName).Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", flow).EndPoint(UtcTimestamp.ToNanoseconds(t));
        await _admin.WriteAsync(lines.WrittenMemory, _admin.Options.Database, FieldlabSchema.SamplesRaw.Name, CancellationToken.None);
    }

    private static string Time(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    private async Task<List<(DateTimeOffset T, double Value)>> SeriesAsync(string user, string every, string agg)
    {
        using var client = _api.Client(await _api.TokenAsync(user));
        var url = $"/api/sites/lab/rigs/rig-1/series?sensor=flow&from={Time(_start)}&to={Time(_start.AddHours(6))}&every={every}&agg={agg}";
        HttpResponseMessage? response = null;
        // The rig's birth reaches the API through the broker: until then the sensor is unknown.
        await Eventually.HoldsAsync(async () => { response?.Dispose(); response = await client.GetAsync(url); return response.StatusCode == HttpStatusCode.OK; },
            TimeSpan.FromSeconds(20), () => $"{response?.StatusCode}: {response?.Content.ReadAsStringAsync().Result}");
        var body = await response!.Content.ReadFromJsonAsync<JsonElement>();
        response.Dispose();
        return [.. body.GetProperty("points").EnumerateArray().Select(p => (DateTimeOffset.Parse(p.GetProperty("t").GetString()!, CultureInfo.InvariantCulture), p.GetProperty("value").GetDouble()))];
    }

    private List<(DateTimeOffset T, double Value)> Expected(TimeSpan bucket, Func<IEnumerable<double>, double> aggregate) =>
        [.. _raw.GroupBy(p => MeanBuckets.Floor(p.T, bucket)).OrderBy(g => g.Key).Select(g => (g.Key, aggregate(g.Select(p => p.Flow))))];

    private static void AssertClose(List<(DateTimeOffset T, double Value)> expected, List<(DateTimeOffset T, double Value)> actual)
    {
        Assert.Equal(expected.Select(e => e.T), actual.Select(a => a.T));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Value, actual[i].Value, 9);
    }

    [Fact]
    public async Task HourlyBuckets_AreTheMeansOfTheRawPoints_ReadFromMeans1h()
    {
        AssertClose(Expected(TimeSpan.FromHours(1), v => v.Average()), await SeriesAsync("admin", "1h", "mean"));
        AssertClose(Expected(TimeSpan.FromHours(1), v => v.Max()), await SeriesAsync("admin", "1h", "max"));
        AssertClose(Expected(TimeSpan.FromHours(1), v => v.Count()), await SeriesAsync("admin", "1h", "count"));
        AssertClose(Expected(TimeSpan.FromHours(1), v => v.Max() - v.Min()), await SeriesAsync("admin", "1h", "spread"));
    }

    [Fact]
    public async Task BucketsOfSeveralHours_AreExactMeans_NotMeansOfMeans()
    {
        AssertClose(Expected(TimeSpan.FromHours(2), v => v.Average()), await SeriesAsync("admin", "2h", "mean"));
        AssertClose(Expected(TimeSpan.FromHours(3), v => v.Sum()), await SeriesAsync("admin", "3h", "sum"));
    }

    [Fact]
    public async Task AnAggregationTheMeansCannotAnswer_ReadsTheRawPoints()
    {
        var last = await SeriesAsync("admin", "1h", "last");
        Assert.Equal(1e6, last.Single(p => p.T == _start.AddHours(2)).Value); // the late point is the last of its hour, raw
    }

    [Fact]
    public async Task ABucketThatStraddlesAPilotWindowsEdge_IsWithheldFromTheCompany_AndShownToStaff()
    {
        // Pilot window 01:30–04:30 after the start: hours 02 and 03 lie inside it, 01 and 04 straddle its edges.
        await _api.WithStoreAsync(async (db, _) => await PilotBook.CreateAsync(db, "company", "window", [SmallTenancy.Rig],
            _start.AddHours(1.5).UtcDateTime, _start.AddHours(4.5).UtcDateTime, false, DateTime.UtcNow, CancellationToken.None));
        var hourly = Expected(TimeSpan.FromHours(1), v => v.Average());
        AssertClose([.. hourly.Where(h => h.T == _start.AddHours(2) || h.T == _start.AddHours(3))], await SeriesAsync("member", "1h", "mean"));
        AssertClose(hourly, await SeriesAsync("admin", "1h", "mean"));
    }
}
