using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
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

/// <summary>Freezing datasets through the API on the real servers: the copy holds exactly the rows InfluxDB stored (also
/// across the reader's 10,000-row pages), every download of every format is byte-identical and matches the manifest,
/// a new freeze of the same selection is the next version, and bad input or a rig the caller may not read stores nothing.</summary>
[Collection("servers")]
public sealed class DatasetsApiTests(ServersFixture servers) : IAsyncLifetime
{
    private const int Rows = 12_345; // more than one page of the reader
    private static readonly DateTime T0 = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
    private readonly SmallTenancy _tenancy = new();
    private readonly TempDirectory _datasets = new("datasets");
    private ApiUnderTest _api = null!;
    private MqttConnection _gateway = null!;
    private MqttConnection _ingest = null!;
    private readonly List<(long TimeNs, double Flow, double? Speed)> _stored = [];

    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, _tenancy.SeedAsync, settings: new Dictionary<string, string?> { ["Datasets:Directory"] = _datasets.Path });
        _gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        var birth = new RigBirth
        {
            Kind = "pump", Description = "dataset test pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h", Description = "flow" }, new SensorSpec { Id = "speed", Unit = "rpm" }] }],
        };
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        await Eventually.HoldsAsync(() => Task.FromResult(directory.TryGet(SmallTenancy.Rig, out var e) && e.Birth is not null), TimeSpan.FromSeconds(20), () => "no birth reached the API");
        _ingest = await MqttConnection.ConnectAsync(_api.BrokerLogin("svc.ingest-s"), null, CancellationToken.None);
        await StoredThroughAsync(T0.AddHours(1));

        // 10 Hz with a staged step in the flow half-way (the "fault") and a missing speed every 7th row.
        using var admin = new InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new LineProtocolWriter();
        for (int i = 0; i < Rows; i++)
        {
            long t = UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0)) + i * 100_000_000L;
            double flow = Math.Round(40 + 3 * Math.Sin(i / 50.0) + (i > Rows / 2 ? -7.5 : 0), 6) + 1e-9 * i;
            double? speed = i % 7 == 0 ? null : 1450 + i % 13;
            lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", flow);
            if (speed is { } s) lines.Field("speed", s);
            lines.EndPoint(t);
            _stored.Add((t, flow, speed));
        }
        // The staged fault as the rig's gateway recorded it: started, stepped, cleared.
        foreach (var (seconds, action, severity) in new[] { (100, "start", 0.4), (200, "step", 0.7), (300, "clear", 0.0) })
        {
            lines.BeginPoint("fault_truth").Tag("fault", "cavitation").Tag("rig", "rig-1").Tag("site", "lab")
                .Field("action", action).Field("severity", severity).Field("progression_per_hour", 0.0).Field("source", "command")
                .EndPoint(UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0.AddSeconds(seconds))));
        }
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        await _api.WithStoreAsync(async (db, _) =>
        {
            db.MaintenanceActions.Add(new Fieldlab.Access.Store.MaintenanceAction
            {
                SiteId = "lab", RigId = "rig-1", What = "impeller replaced", Component = "impeller", PerformedAt = T0.AddSeconds(400),
                PerformedBy = "teacher", RecordedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_ingest is not null) await _ingest.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
        // Frozen files are read-only; the temporary folder goes anyway.
        foreach (var f in Directory.EnumerateFiles(_datasets.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        _datasets.Dispose();
    }

    // The rows are written straight to InfluxDB, without an ingest process: its stored-through watermark is published
    // the way ingest does (retained, with ingest's broker login), and the API must have it before a test freezes.
    private async Task StoredThroughAsync(DateTime through)
    {
        var stored = new StoredThrough { T = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow)), Streams = [new StreamThrough("process", UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(new DateTimeOffset(through))))] };
        await _ingest.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Stored), WireJson.Encode(stored), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var book = _api.Factory.Services.GetRequiredService<Fieldlab.Api.Datasets.StoredThroughBook>();
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        directory.TryGet(SmallTenancy.Rig, out var entry);
        await Eventually.HoldsAsync(() => Task.FromResult(book.Through(SmallTenancy.Rig, entry.Birth!) >= new DateTimeOffset(through)), TimeSpan.FromSeconds(20),
            () => "the stored-through watermark did not reach the API");
    }

    private static object Selection(string? from = null, string? to = null, string[]? rigs = null, string[]? sensors = null) => new
    {
        site = "lab", rigs = rigs ?? ["rig-1"], from = from ?? T0.ToString("O"), to = to ?? T0.AddHours(1).ToString("O"), sensors = sensors ?? [],
    };

    private async Task<JsonElement> FreezeAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/datasets", Selection());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Freeze_CopiesExactlyTheStoredRows_AndEveryDownloadOfEveryFormatIsByteIdentical()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var frozen = await FreezeAsync(teacher);
        Assert.Equal(Rows, frozen.GetProperty("rows").GetInt64());
        string id = frozen.GetProperty("id").GetString()!;
        int version = frozen.GetProperty("version").GetInt32();
        var manifest = await teacher.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        var hashes = manifest.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("hash").GetString()!);
        Assert.Contains("samples.csv", hashes.Keys);
        Assert.Contains("samples.parquet", hashes.Keys);
        Assert.Contains(hashes.Keys, k => k.StartsWith("replay-rig-1-process", StringComparison.Ordinal));

        var files = new Dictionary<string, byte[]>();
        foreach (var name in hashes.Keys)
        {
            var first = await teacher.GetByteArrayAsync($"/api/datasets/{id}/versions/{version}/files/{name}");
            var second = await teacher.GetByteArrayAsync($"/api/datasets/{id}/versions/{version}/files/{name}");
            Assert.Equal(first, second);
            Assert.Equal(hashes[name], "sha256:" + Convert.ToHexStringLower(SHA256.HashData(first)));
            files[name] = first;
        }

        // CSV: header, then every stored row in time order, values as stored ("R" round-trips doubles).
        var csv = Encoding.UTF8.GetString(files["samples.csv"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time,rig,stream,flow,speed", csv[0]);
        Assert.Equal(Rows, csv.Length - 1);
        for (int i = 0; i < Rows; i++)
        {
            var cells = csv[i + 1].Split(',');
            Assert.Equal(UtcTimestamp.Format(_stored[i].TimeNs), cells[0]);
            Assert.Equal(_stored[i].Flow, double.Parse(cells[3], CultureInfo.InvariantCulture));
            Assert.Equal(_stored[i].Speed, cells[4].Length == 0 ? null : double.Parse(cells[4], CultureInfo.InvariantCulture));
        }

        // Parquet: the same rows.
        using var stream = new MemoryStream(files["samples.parquet"]);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        var times = new List<DateTime>();
        var flows = new List<double?>();
        var speeds = new List<double?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            var t = new DateTime[n];
            await group.ReadAsync<DateTime>(fields.First(f => f.Name == "time"), t);
            var flow = new double?[n];
            await group.ReadAsync<double>(fields.First(f => f.Name == "flow"), flow.AsMemory());
            var speed = new double?[n];
            await group.ReadAsync<double>(fields.First(f => f.Name == "speed"), speed.AsMemory());
            times.AddRange(t);
            flows.AddRange(flow);
            speeds.AddRange(speed);
        }
        Assert.Equal(Rows, times.Count);
        for (int i = 0; i < Rows; i++)
        {
            Assert.Equal(UtcTimestamp.FromNanoseconds(_stored[i].TimeNs).UtcDateTime, times[i].ToUniversalTime());
            Assert.Equal(_stored[i].Flow, flows[i]);
            Assert.Equal(_stored[i].Speed, speeds[i]);
        }
    }

    [Fact]
    public async Task Labels_HoldTheStagedFaultFromStartToClear_AndTheMaintenanceAction_ApartFromTheSamples()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var frozen = await FreezeAsync(teacher);
        var url = $"/api/datasets/{frozen.GetProperty("id").GetString()}/versions/{frozen.GetProperty("version").GetInt32()}/files/labels.csv";
        var lines = (await teacher.GetStringAsync(url)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,rig,source,label,severity,detail", lines[0]);
        string At(int seconds) => UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0.AddSeconds(seconds))));
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{At(100)},{At(300)},rig-1,truth,cavitation,0.4,step {At(200)} severity 0.7", lines[1]);
        Assert.Equal($"{At(400)},,rig-1,maintenance,impeller replaced,,impeller", lines[2]);
        // The samples table knows nothing of them.
        var manifest = await teacher.GetFromJsonAsync<JsonElement>($"/api/datasets/{frozen.GetProperty("id").GetString()}");
        var labels = manifest.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("path").GetString() == "labels.csv");
        Assert.Equal("labels", labels.GetProperty("fieldlab").GetProperty("role").GetString());
        Assert.Equal(7, labels.GetProperty("schema").GetProperty("fields").GetArrayLength());
    }

    [Fact]
    public async Task FreezingTheSameSelectionAgain_IsTheNextVersionOfTheSameId_AndBothStay()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var first = await FreezeAsync(teacher);
        var second = await FreezeAsync(teacher);
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("version").GetInt32() + 1, second.GetProperty("version").GetInt32());
        // Same data, same bytes: the versions differ in their manifests (when frozen), not in their samples.
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        var list = await teacher.GetFromJsonAsync<JsonElement>("/api/datasets");
        Assert.Equal(2, list.EnumerateArray().Count(d => d.GetProperty("id").GetString() == first.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task WhoMayFreezeAndRead_FollowsTheRightsTable()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var frozen = await FreezeAsync(teacher);
        string id = frozen.GetProperty("id").GetString()!;
        using var pupil = _api.Client(await _api.TokenAsync("pupil"));
        using var member = _api.Client(await _api.TokenAsync("member"));
        using var admin = _api.Client(await _api.TokenAsync("admin"));
        Assert.Equal(HttpStatusCode.Forbidden, (await pupil.PostAsJsonAsync("/api/datasets", Selection())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pupil.GetAsync($"/api/datasets/{id}")).StatusCode);
        // The company has no pilot on rig-1: the rig is unknown to it, and so is the school's dataset.
        Assert.Equal(HttpStatusCode.NotFound, (await member.PostAsJsonAsync("/api/datasets", Selection())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/datasets/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/datasets/{id}/versions/1/files/samples.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/datasets/{id}")).StatusCode);
        // No path leaves the dataset's folder.
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/datasets/{id}/versions/1/files/..%2F..%2Fmetadata.db")).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-30T09:00:00Z", "2026-11-30T08:00:00Z", "to")]
    [InlineData("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z", "to")]
    [InlineData("yesterday", "now-1h", "from")]
    public async Task BadRanges_AreRefusedWithTheirField_AndStoreNothing(string from, string to, string field)
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        using var response = await teacher.PostAsJsonAsync("/api/datasets", Selection(from, to));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_datasets.Path));
    }

    [Fact]
    public async Task Freeze_EndingAfterTheRigsStoredThroughTime_IsRefusedWith409_AndSucceedsOnceTheWatermarkPassesIt()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var late = Selection(to: T0.AddHours(1).AddMinutes(10).ToString("O"));
        using (var refused = await teacher.PostAsJsonAsync("/api/datasets", late))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
            Assert.Contains("lab/rig-1", detail);
            Assert.Contains("stored only through 2026-11-30T09:00:00", detail);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_datasets.Path));

        await StoredThroughAsync(T0.AddHours(2));
        using var accepted = await teacher.PostAsJsonAsync("/api/datasets", late);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(Rows, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Freeze_UpToNow_IsRefusedWith409_WhileTheWatermarkLagsBehind()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        using var response = await teacher.PostAsJsonAsync("/api/datasets", Selection("now-1h", "now"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task UnknownSensorsAndRigLists_AreRefused_AndStoreNothing()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PostAsJsonAsync("/api/datasets", Selection(sensors: ["nope"]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PostAsJsonAsync("/api/datasets", Selection(rigs: []))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PostAsJsonAsync("/api/datasets", Selection(rigs: ["rig-1", "rig-1"]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.PostAsJsonAsync("/api/datasets", Selection(rigs: ["rig-9"]))).StatusCode);
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_datasets.Path));
    }

    private static object HiddenSelection(object[]? labels = null) => new
    {
        site = "lab", rigs = new[] { "rig-1" }, from = T0.ToString("O"), to = T0.AddHours(1).ToString("O"), sensors = Array.Empty<string>(), hide_labels = true,
        labels = labels ?? [new { rig = "rig-1", start = T0.AddSeconds(500).ToString("O"), end = T0.AddSeconds(560).ToString("O"), label = "dry_run" }],
    };

    [Fact]
    public async Task HiddenLabels_AreInNoFileOfTheDataset_ButTheLabelsEndpointGivesTheFreezerEveryLabel_HandMadeOnesIncluded()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        using var response = await teacher.PostAsJsonAsync("/api/datasets", HiddenSelection());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var frozen = await response.Content.ReadFromJsonAsync<JsonElement>();
        string id = frozen.GetProperty("id").GetString()!;
        Assert.DoesNotContain(frozen.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString() == "labels.csv");

        var manifest = await teacher.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
        Assert.Equal("hidden", manifest.GetProperty("fieldlab").GetProperty("labels").GetString());
        foreach (var resource in manifest.GetProperty("resources").EnumerateArray())
        {
            var name = resource.GetProperty("path").GetString()!;
            var text = await teacher.GetStringAsync($"/api/datasets/{id}/versions/1/files/{name}");
            Assert.DoesNotContain("cavitation", text, StringComparison.Ordinal);
            Assert.DoesNotContain("dry_run", text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("cavitation", await teacher.GetStringAsync($"/api/datasets/{id}/versions/1/files/README.md"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/datasets/{id}/versions/1/files/labels.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/datasets/{id}/versions/1/files/.hidden%2Flabels.csv")).StatusCode);

        var labels = (await teacher.GetStringAsync($"/api/datasets/{id}/versions/1/labels")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,rig,source,label,severity,detail", labels[0]);
        Assert.Contains(labels, l => l.Contains(",rig-1,truth,cavitation,0.4,", StringComparison.Ordinal));
        Assert.Contains(labels, l => l.Contains(",rig-1,maintenance,impeller replaced,", StringComparison.Ordinal));
        Assert.Contains($"{UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0.AddSeconds(500))))},{UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0.AddSeconds(560))))},rig-1,instructor,dry_run,,", labels);
        var list = await teacher.GetFromJsonAsync<JsonElement>("/api/datasets");
        Assert.True(list[0].GetProperty("labels_hidden").GetBoolean());
        Assert.Equal(3, list[0].GetProperty("labels").GetInt32()); // the staged fault, the maintenance action, the hand-made label
    }

    [Fact]
    public async Task HiddenLabels_HideTheRangesTruthFromStudents_EvenWhereTheTruthWasReleased_ButNotFromInstructors()
    {
        await _api.WithStoreAsync(async (db, _) =>
        {
            var rig = db.Rigs.Single(r => r.SiteId == "lab" && r.RigId == "rig-1");
            rig.TruthReleasedUntil = DateTime.MaxValue;
            await db.SaveChangesAsync();
        });
        using var pupil = _api.Client(await _api.TokenAsync("pupil"));
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        string faults = $"/api/sites/lab/rigs/rig-1/faults?from={T0.AddMinutes(-5):O}&to={T0.AddHours(2):O}";
        Assert.Equal(3, (await pupil.GetFromJsonAsync<JsonElement>(faults)).GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, (await teacher.PostAsJsonAsync("/api/datasets", HiddenSelection())).StatusCode);
        Assert.Equal(0, (await pupil.GetFromJsonAsync<JsonElement>(faults)).GetArrayLength());
        Assert.Equal(3, (await teacher.GetFromJsonAsync<JsonElement>(faults)).GetArrayLength());
    }

    [Fact]
    public async Task BadHandLabels_AreRefusedWithTheirIndex_AndStoreNothing()
    {
        using var teacher = _api.Client(await _api.TokenAsync("teacher"));
        var bad = new object[]
        {
            new { rig = "rig-1", start = T0.AddSeconds(10).ToString("O"), end = T0.AddSeconds(20).ToString("O"), label = "ok" },
            new { rig = "rig-1", start = T0.AddSeconds(30).ToString("O"), end = T0.AddSeconds(20).ToString("O"), label = "reversed" },
            new { rig = "rig-9", start = T0.AddSeconds(10).ToString("O"), end = T0.AddSeconds(20).ToString("O"), label = "other rig" },
            new { rig = "rig-1", start = T0.AddHours(-1).ToString("O"), end = T0.AddSeconds(20).ToString("O"), label = "outside" },
            new { rig = "rig-1", start = T0.AddSeconds(10).ToString("O"), end = T0.AddSeconds(20).ToString("O"), label = "" },
        };
        using var response = await teacher.PostAsJsonAsync("/api/datasets", HiddenSelection(bad));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.False(errors.TryGetProperty("labels[0]", out _));
        foreach (var field in new[] { "labels[1]", "labels[2]", "labels[3]", "labels[4]" }) Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/datasets")).EnumerateArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_datasets.Path));
    }
}
