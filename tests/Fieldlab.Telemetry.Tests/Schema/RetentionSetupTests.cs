using System.Globalization;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Testing;

namespace Fieldlab.Telemetry.Tests.Schema;

/// <summary><see cref="InfluxDatabaseSetup.EnsureAsync(InfluxClient, RetentionSettings, CancellationToken)"/> on a real
/// InfluxDB 1.x: the schema's retention policies and continuous queries, idempotently; and the continuous queries'
/// own SELECT … INTO (run as a backfill over a past range, since InfluxDB only runs them for the present) stores the
/// aggregates computed here from the raw points.</summary>
[Collection("servers")]
public sealed class RetentionSetupTests(ServersFixture servers)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<Dictionary<string, (string Duration, bool Default)>> PoliciesAsync(InfluxClient client)
    {
        var result = await client.QueryAsync(new InfluxQuery($"SHOW RETENTION POLICIES ON {InfluxIdentifier.Quote(client.Options.Database)}"), Ct);
        var s = result.Single!;
        return s.Rows.ToDictionary(r => r[s.ColumnIndex("name")].GetString()!, r => (r[s.ColumnIndex("duration")].GetString()!, r[s.ColumnIndex("default")].GetBoolean()));
    }

    private static async Task<Dictionary<string, string>> ContinuousQueriesAsync(InfluxClient client)
    {
        var result = await client.QueryAsync(new InfluxQuery("SHOW CONTINUOUS QUERIES"), Ct);
        var mine = result.Series.SingleOrDefault(s => s.Name == client.Options.Database);
        return mine is null ? [] : mine.Rows.ToDictionary(r => r[mine.ColumnIndex("name")].GetString()!, r => r[mine.ColumnIndex("query")].GetString()!);
    }

    [Fact]
    public async Task EnsureAsync_CreatesEveryPolicyAndContinuousQuery_AndAgainChangesNothing()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        var policies = await PoliciesAsync(client);
        var queries = await ContinuousQueriesAsync(client);

        Assert.Equal(("720h0m0s", false), policies["samples_raw"]);
        Assert.Equal(("1h0m0s", false), policies["waveform_raw"]);
        Assert.Equal(("17520h0m0s", false), policies["means_1m"]);
        Assert.Equal(("0s", false), policies["means_1h"]); // 0s: for ever
        Assert.Equal(("0s", true), policies["autogen"]); // the default stays the default, and infinite
        Assert.Equal(["energy_means_1h", "energy_means_1m", "samples_means_1h", "samples_means_1m"], queries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("RESAMPLE EVERY 1m FOR 2m BEGIN SELECT mean(*), min(*), max(*), sum(*), count(*) INTO", queries["samples_means_1m"], StringComparison.Ordinal);
        Assert.Contains("FROM " + client.Options.Database + ".samples_raw.samples, " + client.Options.Database + ".autogen.samples GROUP BY time(1m), *", queries["samples_means_1m"], StringComparison.Ordinal);

        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        Assert.Equal(policies, await PoliciesAsync(client));
        Assert.Equal(queries, await ContinuousQueriesAsync(client));
    }

    [Fact]
    public async Task EnsureAsync_WithOtherDurations_AltersThePolicies()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings { Samples = TimeSpan.FromDays(7), MinuteMeans = TimeSpan.FromDays(90), HourMeans = TimeSpan.FromDays(3650), Waveform = TimeSpan.FromHours(2) }, Ct);
        var policies = await PoliciesAsync(client);
        Assert.Equal("168h0m0s", policies["samples_raw"].Duration);
        Assert.Equal("2160h0m0s", policies["means_1m"].Duration);
        Assert.Equal("87600h0m0s", policies["means_1h"].Duration);
        Assert.Equal("2h0m0s", policies["waveform_raw"].Duration);
    }

    [Fact]
    public async Task EnsureAsync_ReplacesAContinuousQueryWhoseTextChanged()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        var expected = (await ContinuousQueriesAsync(client))["samples_means_1m"];
        var db = InfluxIdentifier.Quote(client.Options.Database);
        await client.QueryAsync(new InfluxQuery($"DROP CONTINUOUS QUERY \"samples_means_1m\" ON {db}"), Ct);
        await client.QueryAsync(new InfluxQuery($"CREATE CONTINUOUS QUERY \"samples_means_1m\" ON {db} BEGIN SELECT mean(*) INTO \"means_1m\".\"samples\" FROM \"samples_raw\".\"samples\" GROUP BY time(5m), * END"), Ct);
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        Assert.Equal(expected, (await ContinuousQueriesAsync(client))["samples_means_1m"]);
    }

    [Fact]
    public async Task EnsureAsync_RefusesARetentionInfluxDbCannotKeep_BeforeChangingAnything()
    {
        using var client = new InfluxClient(servers.Influx.ClientOptions());
        var e = await Assert.ThrowsAsync<ArgumentException>(() => InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings { Samples = TimeSpan.FromHours(3) }, Ct));
        Assert.Contains("SamplesRetention", e.Message, StringComparison.Ordinal);
    }

    // Raw samples over three hours two days ago: mostly in samples_raw, a few in the default policy (written before samples
    // had their own policy); values from a seeded generator.
    private static List<(long T, double Flow, bool Legacy)> History(DateTimeOffset start)
    {
        var random = new Random(20261202);
        var points = new List<(long, double, bool)>();
        for (var t = start; t < start.AddHours(3); t = t.AddSeconds(7))
            points.Add((t.ToUnixTimeMilliseconds() * 1_000_000, Math.Round(random.NextDouble() * 100, 3), random.Next(10) == 0));
        return points;
    }

    [Fact]
    public async Task Backfill_OfTheContinuousQueries_StoresSumCountMinMaxAndMeanOfEveryBucket_FromBothPolicies()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        var start = FieldlabSchema.SamplesPerHour.Floor(DateTimeOffset.UtcNow.AddDays(-2));
        var history = History(start);
        foreach (var legacy in new[] { false, true })
        {
            var lines = new LineProtocolWriter();
            foreach (var (t, flow, _) in history.Where(p => p.Legacy == legacy))
                lines.BeginPoint(FieldlabSchema.Samples.LineName).Tag("rig", "pump-1").Tag("site", "lab").Tag("stream", "process").Field("flow", flow).Field("seq", t / 1_000_000_000).EndPoint(t);
            await client.WriteAsync(lines.WrittenMemory, client.Options.Database, legacy ? null : FieldlabSchema.SamplesRaw.Name, Ct);
        }

        foreach (var downsampling in new[] { FieldlabSchema.SamplesPerMinute, FieldlabSchema.SamplesPerHour })
        {
            await client.QueryAsync(new InfluxQuery(downsampling.Backfill(start.AddMinutes(1).AddSeconds(30), start.AddHours(3))), Ct);
            var stored = (await client.QueryAsync(new InfluxQuery(
                $"SELECT mean_flow, min_flow, max_flow, sum_flow, count_flow, site, rig, stream FROM {downsampling.Target.QuotedName}"), Ct)).Single!;
            long width = downsampling.Interval.Ticks * 100; // ns
            var expected = history.GroupBy(p => p.T - p.T % width)
                .Where(g => g.Key >= downsampling.Floor(start.AddMinutes(1).AddSeconds(30)).ToUnixTimeMilliseconds() * 1_000_000)
                .OrderBy(g => g.Key).ToList();
            Assert.Equal(expected.Select(g => g.Key), Enumerable.Range(0, stored.Rows.Count).Select(stored.GetTimeNanoseconds));
            for (int i = 0; i < expected.Count; i++)
            {
                var flows = expected[i].Select(p => p.Flow).ToList();
                Assert.Equal(flows.Count, stored.GetDouble(i, "count_flow")!.Value);
                Assert.Equal(flows.Sum(), stored.GetDouble(i, "sum_flow")!.Value, 9);
                Assert.Equal(flows.Average(), stored.GetDouble(i, "mean_flow")!.Value, 9);
                Assert.Equal(flows.Min(), stored.GetDouble(i, "min_flow")!.Value);
                Assert.Equal(flows.Max(), stored.GetDouble(i, "max_flow")!.Value);
                Assert.Equal(["lab", "pump-1", "process"], new[] { "site", "rig", "stream" }.Select(c => stored.Rows[i][stored.ColumnIndex(c)].GetString()));
            }
        }
    }

    [Fact]
    public async Task BackfillAsync_OverSeveralDays_MakesTheMeansOfEveryHourOfThem()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(client, new RetentionSettings(), Ct);
        var start = FieldlabSchema.SamplesPerHour.Floor(DateTimeOffset.UtcNow.AddDays(-3));
        var lines = new LineProtocolWriter();
        for (int h = 0; h < 50; h++)
            lines.BeginPoint(FieldlabSchema.Samples.LineName).Tag("rig", "pump-1").Tag("site", "lab").Tag("stream", "process").Field("flow", h).EndPoint(start.AddHours(h).AddMinutes(5).ToUnixTimeMilliseconds() * 1_000_000);
        await client.WriteAsync(lines.WrittenMemory, Ct); // the default policy: samples from before the upgrade

        await InfluxDatabaseSetup.BackfillAsync(client, start, start.AddHours(50), Ct);
        var hours = (await client.QueryAsync(new InfluxQuery("SELECT \"mean_flow\" FROM \"means_1h\".\"samples\""), Ct)).Single!;
        Assert.Equal(Enumerable.Range(0, 50).Select(h => (double)h), Enumerable.Range(0, hours.Rows.Count).Select(r => hours.GetDouble(r, "mean_flow")!.Value));
        var minutes = (await client.QueryAsync(new InfluxQuery("SELECT count(\"count_flow\") FROM \"means_1m\".\"samples\""), Ct)).Single!;
        Assert.Equal(50, minutes.GetDouble(0, "count"));
    }

    [Fact]
    public void Backfill_IsTheContinuousQuerysSelect_OverWholeBuckets()
    {
        var d = FieldlabSchema.SamplesPerHour;
        var from = new DateTimeOffset(2026, 11, 22, 7, 20, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var text = d.Backfill(from, to);
        long start = new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000, end = to.ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(d.Select.Replace(" GROUP BY ", string.Create(CultureInfo.InvariantCulture, $" WHERE time >= {start} AND time < {end} GROUP BY "), StringComparison.Ordinal), text);
        Assert.Contains($"BEGIN {d.Select} END", d.CreateStatement("fieldlab"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => d.Backfill(to, from));
    }

    [Fact]
    public void ContinuousQueries_NameOnlyWhatTheSchemaDefines()
    {
        foreach (var d in FieldlabSchema.Downsamplings) Assert.Empty(SchemaReferences.Check(d.CreateStatement("fieldlab")));
        Assert.True(FieldlabSchema.SamplesPerMinute.Target.HasField("mean_flow"));
        Assert.True(FieldlabSchema.EnergyPerHour.Target.HasField("count_ie_class"));
        Assert.False(FieldlabSchema.EnergyPerHour.Target.HasField("mean_flow")); // not an energy field
        Assert.Equal(["'mean_enpii' is no field or tag of means_1h.energy"],
            SchemaReferences.Check("SELECT \"mean_enpi\", \"mean_enpii\" FROM \"means_1h\".\"energy\"").Select(p => p.ToString()));
    }
}
