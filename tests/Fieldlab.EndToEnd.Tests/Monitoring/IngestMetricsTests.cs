using System.Globalization;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing;

namespace Fieldlab.EndToEnd.Tests.Monitoring;

/// <summary>Ingest's Prometheus counters and histograms only grow: not scraping them, not the <c>ingest_stats</c>
/// reports (which keep their per-interval percentiles), not <c>/stats/reset</c> lowers one.</summary>
[Collection("servers")]
public sealed class IngestMetricsTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ScrapingTwice_AcrossStatsReportsAndAStatsReset_LowersNoCounter()
    {
        await using var services = await ScrapedServices.StartAsync(servers, new Dictionary<string, string> { ["Ingest:StatsInterval"] = "00:00:01" });
        var platform = services.Platform;
        using var http = new HttpClient();
        var metrics = $"{platform.IngestUrl}/metrics";

        Dictionary<string, double> first = [];
        await Eventually.HoldsAsync(async () =>
        {
            first = Counters(await http.GetStringAsync(metrics));
            return Sum(first, "fieldlab_ingest_lag_seconds_count") > 0 && Sum(first, "fieldlab_ingest_rows_stored_total") > 0;
        }, Patience, () => $"{string.Join(", ", first.Take(20))}\ningest:\n{platform.Ingest.Tail()}");

        // Two more ingest_stats reports while data flows, each with the interval's lag percentile; then the benchmarks' reset.
        using var influx = platform.Influx();
        long reports = await StatsReportsAsync(influx), later = reports;
        await Eventually.HoldsAsync(async () => (later = await StatsReportsAsync(influx)) >= reports + 2, Patience, () => $"ingest_stats reports: {reports} → {later}");
        Assert.True(await MaxStatsLagP99Async(influx) > 0, "no ingest_stats report has a lag percentile of its interval");
        using (var reset = await platform.IngestHttp.PostAsync($"{platform.IngestUrl}/stats/reset", null)) Assert.Equal(204, (int)reset.StatusCode);

        var second = Counters(await http.GetStringAsync(metrics));
        var lowered = first.Where(kv => !second.TryGetValue(kv.Key, out var now) || now < kv.Value)
            .Select(kv => $"{kv.Key}: {kv.Value} → {(second.TryGetValue(kv.Key, out var now) ? now : double.NaN)}").ToList();
        Assert.True(lowered.Count == 0, "counters lowered or gone: " + string.Join("; ", lowered));
        Assert.True(Sum(second, "fieldlab_ingest_rows_stored_total") > Sum(first, "fieldlab_ingest_rows_stored_total"), "no rows stored between the scrapes");
        Assert.Contains(first.Keys, k => k.StartsWith("fieldlab_ingest_lag_seconds_bucket{", StringComparison.Ordinal));
    }

    // The sum of every series of a metric (whatever its labels: the exporter adds otel_scope_name).
    private static double Sum(Dictionary<string, double> counters, string name) =>
        counters.Where(kv => kv.Key == name || kv.Key.StartsWith(name + "{", StringComparison.Ordinal)).Sum(kv => kv.Value);

    // Every monotonic series of a Prometheus text exposition (counters, histogram buckets, counts and sums), by name and labels.
    private static Dictionary<string, double> Counters(string exposition)
    {
        var counters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            int split = line.LastIndexOf('}') is int close and >= 0 ? close + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            var series = line[..split];
            var name = series.Split('{')[0];
            if (!(name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal)
                || name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal))) continue;
            counters[series] = double.Parse(line[split..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return counters;
    }

    private static async Task<long> StatsReportsAsync(InfluxClient influx)
    {
        var result = await influx.QueryAsync(new InfluxQuery("SELECT count(rows_per_s) FROM ingest_stats"), CancellationToken.None);
        return result.Single is { } series ? series.Rows[0][series.ColumnIndex("count")].GetInt64() : 0;
    }

    private static async Task<double> MaxStatsLagP99Async(InfluxClient influx)
    {
        var result = await influx.QueryAsync(new InfluxQuery("SELECT max(lag_p99_ms) FROM ingest_stats"), CancellationToken.None);
        return result.Single is { } series ? series.Rows[0][series.ColumnIndex("max")].GetDouble() : 0;
    }
}
