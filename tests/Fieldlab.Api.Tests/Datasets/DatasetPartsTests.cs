using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Broker;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Parquet;

namespace Fieldlab.Api.Tests.Datasets;

/// <summary>Freezing the optional parts on the real servers: the waveform samples (across the reader's pages), the model
/// outputs and the alerts that were stored in the range are exactly what the files hold, and nothing from outside it;
/// a set of parts is a selection of its own; an unknown part is refused.</summary>
[Collection("servers")]
public sealed class DatasetPartsTests(ServersFixture servers) : IAsyncLifetime
{
    private const int Chunks = 30;   // 60 raw points: more than one page of 48
    private const int Count = 1000;  // samples per chunk and axis
    private const double Rate = 12_800;
    private static readonly DateTime T0 = new(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
    private readonly SmallTenancy _tenancy = new();
    private readonly TempDirectory _datasets = new("datasets");
    private ApiUnderTest _api = null!;
    private MqttConnection _gateway = null!;
    private MqttConnection _ingest = null!;
    private readonly List<(long Seq, float X, float Y)> _waveform = [];

    private static long Ns(DateTime t) => UtcTimestamp.ToNanoseconds(new DateTimeOffset(t));

    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, _tenancy.SeedAsync, settings: new Dictionary<string, string?> { ["Datasets:Directory"] = _datasets.Path });
        _gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        var birth = new RigBirth
        {
            Kind = "motor", Description = "parts test motor",
            Streams =
            [
                new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "speed", Unit = "rpm" }] },
                new StreamSpec { Id = "vibration", RateHz = Rate, Kind = "waveform", Sensors = [new SensorSpec { Id = "accel_x", Unit = "m/s2" }, new SensorSpec { Id = "accel_y", Unit = "m/s2" }] },
            ],
        };
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        await Eventually.HoldsAsync(() => Task.FromResult(directory.TryGet(SmallTenancy.Rig, out var e) && e.Birth is not null), TimeSpan.FromSeconds(20), () => "no birth reached the API");

        // Ingest's stored-through watermark of both streams, retained with ingest's login, as DatasetsApiTests does.
        _ingest = await MqttConnection.ConnectAsync(_api.BrokerLogin("svc.ingest-s"), null, CancellationToken.None);
        var through = UtcTimestamp.Format(Ns(T0.AddHours(1)));
        var stored = new StoredThrough { T = UtcTimestamp.Format(Ns(DateTime.UtcNow)), Streams = [new StreamThrough("process", through), new StreamThrough("vibration", through)] };
        await _ingest.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Stored), WireJson.Encode(stored), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var book = _api.Factory.Services.GetRequiredService<Fieldlab.Api.Datasets.StoredThroughBook>();
        await Eventually.HoldsAsync(() => Task.FromResult(book.Through(SmallTenancy.Rig, birth, waveforms: true) >= new DateTimeOffset(T0.AddHours(1))), TimeSpan.FromSeconds(20),
            () => "the stored-through watermark did not reach the API");

        using var admin = new InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        // The raw frames' retention policy, long enough to keep this test's past times.
        await InfluxDatabaseSetup.EnsureAsync(admin, TimeSpan.FromDays(3650), CancellationToken.None);
        var lines = new LineProtocolWriter();
        for (int i = 0; i < 20; i++) lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("speed", 1450.0 + i).EndPoint(Ns(T0) + i * 100_000_000L);
        var raw = new LineProtocolWriter();
        // One chunk a second before the range (not copied), then the chunks of the range as ingest stores them.
        for (int c = -1; c < Chunks; c++)
        {
            long t0 = Ns(T0.AddSeconds(10)) + c * (long)Math.Round(Count * 1e9 / Rate);
            if (c < 0) t0 = Ns(T0.AddSeconds(-1));
            long seq = 5000 + (long)c * Count;
            var x = new float[Count];
            var y = new float[Count];
            for (int i = 0; i < Count; i++)
            {
                x[i] = MathF.Sin(i * 0.01f + c) * 9.81f;
                y[i] = (i - c) * 1.25e-3f;
                if (c >= 0) _waveform.Add((seq + i, x[i], y[i]));
            }
            foreach (var (axis, values) in new[] { ("accel_x", x), ("accel_y", y) })
            {
                raw.BeginPoint("waveform").Tag("axis", axis).Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "vibration")
                    .Field("count", (long)Count).Field("data", Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())))
                    .Field("rate_hz", Rate).Field("seq", seq).Field("unit", "m/s2").EndPoint(t0);
            }
        }
        // Model outputs: anomaly rows of the process stream, vibration features of two axes at one time.
        for (int i = 0; i < 3; i++)
        {
            lines.BeginPoint("anomaly").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process")
                .Field("alarm", i == 2).Field("anomalous", i > 0).Field("limit", 5.5).Field("score", 1.25 * i).Field("top_sensors", "speed").EndPoint(Ns(T0.AddSeconds(60 + i)));
        }
        foreach (var axis in new[] { "y", "x" })
            lines.BeginPoint("vibration_features").Tag("axis", axis).Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "vibration").Field("iso_zone", "B").Field("rms", axis == "x" ? 0.5 : 0.25).EndPoint(Ns(T0.AddSeconds(120)));
        lines.BeginPoint("anomaly").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("score", 99.0).EndPoint(Ns(T0.AddHours(2))); // after the range
        // Alerts: raised and cleared.
        lines.BeginPoint("alerts").Tag("id", "anomaly-process").Tag("rig", "rig-1").Tag("site", "lab").Field("kind", "anomaly").Field("limit", 5.5).Field("score", 6.25)
            .Field("sensors", "speed").Field("state", "raised").Field("summary", "Anomaly on lab/rig-1, driven by speed.").EndPoint(Ns(T0.AddSeconds(62)));
        lines.BeginPoint("alerts").Tag("id", "anomaly-process").Tag("rig", "rig-1").Tag("site", "lab").Field("kind", "anomaly").Field("state", "cleared").Field("summary", "cleared")
            .EndPoint(Ns(T0.AddSeconds(300)));
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        await admin.WriteAsync(raw.WrittenMemory, admin.Options.Database, InfluxDatabaseSetup.WaveformRetentionPolicy, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_ingest is not null) await _ingest.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
        foreach (var f in Directory.EnumerateFiles(_datasets.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        _datasets.Dispose();
    }

    private static object Selection(string[] parts) => new { site = "lab", rigs = new[] { "rig-1" }, from = T0.ToString("O"), to = T0.AddHours(1).ToString("O"), parts };

    [Fact]
    public async Task Freeze_WithAllParts_HoldsExactlyTheStoredWaveformSamplesOutputsAndAlerts()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        using var response = await teacher.PostAsJsonAsync("/api/datasets", Selection(["alerts", "waveforms", "outputs"]));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var frozen = await response.Content.ReadFromJsonAsync<JsonElement>();
        string id = frozen.GetProperty("id").GetString()!;
        var names = frozen.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
        foreach (var name in new[] { "waveforms.parquet", "outputs.csv", "outputs.parquet", "alerts.csv" }) Assert.Contains(name, names);
        string Url(string name) => $"/api/datasets/{id}/versions/1/files/{name}";

        // Waveforms: every stored sample of the range, in order, with its seq and time, and nothing from before it.
        using var stream = new MemoryStream(await teacher.GetByteArrayAsync(Url("waveforms.parquet")));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        Assert.Equal(["time", "rig", "stream", "seq", "accel_x", "accel_y"], fields.Select(f => f.Name));
        var seqs = new List<long>();
        var times = new List<DateTime>();
        var xs = new List<float?>();
        var ys = new List<float?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            var s = new long[n];
            await group.ReadAsync<long>(fields[3], s);
            var t = new DateTime[n];
            await group.ReadAsync<DateTime>(fields[0], t);
            var x = new float?[n];
            await group.ReadAsync<float>(fields[4], x.AsMemory());
            var y = new float?[n];
            await group.ReadAsync<float>(fields[5], y.AsMemory());
            seqs.AddRange(s);
            times.AddRange(t);
            xs.AddRange(x);
            ys.AddRange(y);
        }
        Assert.Equal(_waveform.Count, seqs.Count);
        for (int i = 0; i < _waveform.Count; i++)
        {
            Assert.Equal(_waveform[i].Seq, seqs[i]);
            Assert.Equal(_waveform[i].X, xs[i]);
            Assert.Equal(_waveform[i].Y, ys[i]);
        }
        long start = Ns(T0.AddSeconds(10));
        Assert.Equal(UtcTimestamp.FromNanoseconds(start + (long)Math.Round(1234 % Count * 1e9 / Rate) + 1234 / Count * (long)Math.Round(Count * 1e9 / Rate)).UtcDateTime, times[1234].ToUniversalTime());

        // Outputs: one row per stored value, points of one time by stream and axis, fields by name; none after the range.
        var outputs = (await teacher.GetStringAsync(Url("outputs.csv"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string At(double seconds) => UtcTimestamp.Format(Ns(T0.AddSeconds(seconds)));
        Assert.Equal("time,rig,model,stream,axis,output,value,text", outputs[0]);
        var expected = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            expected.Add($"{At(60 + i)},rig-1,anomaly,process,,alarm,{(i == 2 ? 1 : 0)},");
            expected.Add($"{At(60 + i)},rig-1,anomaly,process,,anomalous,{(i > 0 ? 1 : 0)},");
            expected.Add($"{At(60 + i)},rig-1,anomaly,process,,limit,5.5,");
            expected.Add($"{At(60 + i)},rig-1,anomaly,process,,score,{(1.25 * i).ToString("R", CultureInfo.InvariantCulture)},");
            expected.Add($"{At(60 + i)},rig-1,anomaly,process,,top_sensors,,speed");
        }
        expected.Add($"{At(120)},rig-1,vibration_features,vibration,x,iso_zone,,B");
        expected.Add($"{At(120)},rig-1,vibration_features,vibration,x,rms,0.5,");
        expected.Add($"{At(120)},rig-1,vibration_features,vibration,y,iso_zone,,B");
        expected.Add($"{At(120)},rig-1,vibration_features,vibration,y,rms,0.25,");
        Assert.Equal(expected, outputs[1..]);

        // Alerts as stored.
        var alerts = (await teacher.GetStringAsync(Url("alerts.csv"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "time,rig,id,state,kind,summary,defect,sensors,score,limit",
            $"{At(62)},rig-1,anomaly-process,raised,anomaly,\"Anomaly on lab/rig-1, driven by speed.\",,speed,6.25,5.5",
            $"{At(300)},rig-1,anomaly-process,cleared,anomaly,cleared,,,,",
        ], alerts);

        // The manifest lists the parts and gives each file its role; the record keeps them in canonical order.
        var manifest = await teacher.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.Equal(["waveforms", "outputs", "alerts"], manifest.GetProperty("fieldlab").GetProperty("parts").EnumerateArray().Select(p => p.GetString()));
        var roles = manifest.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("fieldlab").GetProperty("role").GetString());
        Assert.Equal("waveforms", roles["waveforms.parquet"]);
        Assert.Equal("outputs", roles["outputs.parquet"]);
        Assert.Equal("alerts", roles["alerts.csv"]);
        var list = await teacher.GetFromJsonAsync<JsonElement>("/api/datasets");
        Assert.Equal(["waveforms", "outputs", "alerts"], list[0].GetProperty("parts").EnumerateArray().Select(p => p.GetString()));

        // Another set of parts is another selection: another id. The same set again is the next version.
        using var samplesOnly = await teacher.PostAsJsonAsync("/api/datasets", Selection([]));
        Assert.NotEqual(id, (await samplesOnly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        using var again = await teacher.PostAsJsonAsync("/api/datasets", Selection(["outputs", "waveforms", "alerts"]));
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, second.GetProperty("id").GetString());
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Equal(frozen.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "waveforms.parquet").GetProperty("sha256").GetString(),
            second.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "waveforms.parquet").GetProperty("sha256").GetString());
        Assert.Equal(Encoding.UTF8.GetBytes(string.Join('\n', alerts) + "\n"), await teacher.GetByteArrayAsync($"/api/datasets/{id}/versions/2/files/alerts.csv"));
    }

    [Fact]
    public async Task Freeze_WithAnUnknownPart_IsRefusedWithFieldParts_AndStoresNothing()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        using var response = await teacher.PostAsJsonAsync("/api/datasets", Selection(["waveforms", "spectra"]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("parts", out _), problem.ToString());
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_datasets.Path));
    }
}
