using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Datasets.Assignments;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Assignments;

/// <summary>Assignments through the API on the real servers: a dataset of rig-1 (1 Hz for 10 minutes, a staged
/// cavitation [100 s, 200 s) and a hand-made dry_run [400 s, 460 s), labels hidden) set as a detection task to class-a
/// (alice, bob); carol of class-b, the company's member and another site's instructor see nothing of it.</summary>
[Collection("servers")]
public sealed class AssignmentsApiTests(ServersFixture servers) : IAsyncLifetime
{
    private const int Seconds = 600;
    private const long MaxUpload = 64 * 1024;
    private static readonly DateTime T0 = new(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc);
    private readonly SmallTenancy _tenancy = new();
    private readonly TempDirectory _datasets = new("assignment-datasets");
    private readonly Dictionary<string, HttpClient> _clients = [];
    private ApiUnderTest _api = null!;
    private MqttConnection _gateway = null!;
    private string _datasetId = "";

    private static bool IsFault(int second) => second is >= 100 and < 200 or >= 400 and < 460;

    public async Task InitializeAsync()
    {
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, async (db, users) =>
        {
            await _tenancy.SeedAsync(db, users);
            var now = DateTime.UtcNow;
            await SiteRegistry.AddSiteAsync(db, "far", null, now, CancellationToken.None);
            await UserAccounts.CreateAsync(users, db, new NewAccount("faraway", Role.Instructor, "far", null, "a long enough password"), now, CancellationToken.None);
            var classA = await ClassRoster.CreateAsync(db, "lab", "class-a", null, now, CancellationToken.None);
            var classB = await ClassRoster.CreateAsync(db, "lab", "class-b", null, now, CancellationToken.None);
            foreach (var (name, schoolClass) in new[] { ("alice", classA), ("bob", classA), ("carol", classB) })
            {
                var user = await UserAccounts.CreateAsync(users, db, new NewAccount(name, Role.Student, "lab", null, "a long enough password"), now, CancellationToken.None);
                await ClassRoster.AddMemberAsync(db, schoolClass, user, CancellationToken.None);
            }
        }, settings: new Dictionary<string, string?> { ["Datasets:Directory"] = _datasets.Path, ["Assignments:MaxUploadBytes"] = MaxUpload.ToString() });
        foreach (var name in new[] { "teacher", "alice", "bob", "carol", "member", "faraway", "admin" }) _clients[name] = _api.Client(await _api.TokenAsync(name));

        _gateway = await MqttConnection.ConnectAsync(_api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        var birth = new RigBirth { Kind = "pump", Streams = [new StreamSpec { Id = "process", RateHz = 1, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] }] };
        await _gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var directory = _api.Factory.Services.GetRequiredService<RigDirectory>();
        await Eventually.HoldsAsync(() => Task.FromResult(directory.TryGet(SmallTenancy.Rig, out var e) && e.Birth is not null), TimeSpan.FromSeconds(20), () => "no birth reached the API");

        using var admin = new InfluxClient(servers.Influx.ClientOptions(_api.Database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new LineProtocolWriter();
        for (int i = 0; i < Seconds; i++)
            lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", IsFault(i) ? 30.0 : 40.0).EndPoint(Ns(i));
        foreach (var (second, action) in new[] { (100, "start"), (200, "clear") })
            lines.BeginPoint("fault_truth").Tag("fault", "cavitation").Tag("rig", "rig-1").Tag("site", "lab")
                .Field("action", action).Field("severity", 0.5).Field("progression_per_hour", 0.0).Field("source", "command").EndPoint(Ns(second));
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        await Datasets.RecordedRig.StoredThroughAsync(_api, new DateTimeOffset(T0.AddSeconds(Seconds)));
        _datasetId = await FreezeAsync(hidden: true);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
        foreach (var f in Directory.EnumerateFiles(_datasets.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
        _datasets.Dispose();
    }

    private static long Ns(int second) => UtcTimestamp.ToNanoseconds(new DateTimeOffset(T0.AddSeconds(second)));

    private async Task<string> FreezeAsync(bool hidden)
    {
        using var response = await _clients["teacher"].PostAsJsonAsync("/api/datasets", new
        {
            site = "lab", rigs = new[] { "rig-1" }, from = T0.ToString("O"), to = T0.AddSeconds(Seconds).ToString("O"), sensors = Array.Empty<string>(), hide_labels = hidden,
            labels = new[] { new { rig = "rig-1", start = T0.AddSeconds(400).ToString("O"), end = T0.AddSeconds(460).ToString("O"), label = "dry_run" } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static object Request(string dataset, string? deadline = null, string task = "detection", string @class = "class-a", int perDay = 3, int? version = null) => new
    {
        @class, title = "Find the cavitation", dataset, version, task, window_seconds = 30, deadline = deadline ?? DateTime.UtcNow.AddDays(1).ToString("O"),
        submissions_per_day = perDay, public_share = 0.5,
    };

    private async Task<int> CreateAsync(int perDay = 3)
    {
        using var response = await _clients["teacher"].PostAsJsonAsync("/api/assignments", Request(_datasetId, perDay: perDay));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static string Predictions(Func<int, string> flag, string header = "rig,time,anomaly", IEnumerable<string>? extra = null)
    {
        var text = new StringBuilder(header).Append('\n');
        for (int i = 0; i < Seconds; i++) text.Append("rig-1,").Append(UtcTimestamp.Format(Ns(i))).Append(',').Append(flag(i)).Append('\n');
        foreach (var line in extra ?? []) text.Append(line).Append('\n');
        return text.ToString();
    }

    private static string Perfect() => Predictions(i => IsFault(i) ? "1" : "0");

    private static bool[] RandomFlags()
    {
        var random = new Random(20261130);
        return [.. Enumerable.Range(0, Seconds).Select(_ => random.Next(2) == 1)];
    }

    private async Task<HttpResponseMessage> SubmitAsync(string who, int id, string text) =>
        await _clients[who].PostAsync($"/api/assignments/{id}/submissions", new StringContent(text, Encoding.UTF8, "text/csv"));

    private async Task<JsonElement> LeaderboardAsync(string who, int id) => await _clients[who].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}/leaderboard");

    // F1 = 2·TP / (2·TP + FP + FN) over the keys of one part, counted here without the scorer.
    private static double F1(bool[] predicted, Func<int, bool> inPart)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < Seconds; i++)
        {
            if (!inPart(i)) continue;
            if (predicted[i] && IsFault(i)) tp++;
            else if (predicted[i]) fp++;
            else if (IsFault(i)) fn++;
        }
        return 2.0 * tp / (2.0 * tp + fp + fn);
    }

    [Fact]
    public async Task AClassOfTwo_PerfectAndRandom_AreRankedWithTheExpectedScores_AndThePrivatePartAppearsAfterTheDeadline()
    {
        int id = await CreateAsync();
        // The students reach the dataset's public files through the assignment, never its labels.
        var view = await _clients["alice"].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}");
        Assert.Equal("rig,time,anomaly", view.GetProperty("submission_format").GetProperty("header").GetString());
        var files = view.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("samples.csv", files);
        Assert.DoesNotContain("labels.csv", files);
        Assert.Equal(Seconds + 1, (await _clients["alice"].GetStringAsync($"/api/assignments/{id}/files/samples.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients["alice"].GetAsync($"/api/assignments/{id}/files/labels.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients["alice"].GetAsync($"/api/assignments/{id}/files/.hidden%2Flabels.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _clients["alice"].GetAsync($"/api/datasets/{_datasetId}")).StatusCode);

        using (var a = await SubmitAsync("alice", id, Perfect())) Assert.True(a.StatusCode == HttpStatusCode.Created, await a.Content.ReadAsStringAsync());
        var random = RandomFlags();
        using (var b = await SubmitAsync("bob", id, Predictions(i => random[i] ? "1" : "0"))) Assert.True(b.StatusCode == HttpStatusCode.Created, await b.Content.ReadAsStringAsync());

        int seed = 0;
        await _api.WithStoreAsync(async (db, _) => seed = (await db.Assignments.SingleAsync(x => x.Id == id)).SplitSeed);
        var split = new PublicSplit(new TaskSpec(TaskKind.Detection, ["rig-1"], Ns(0), Ns(Seconds), 30_000_000_000L), seed, 0.5);
        bool IsPublic(int i) => split.IsPublic(new GridKey("rig-1", Ns(i)));
        double bobPublic = F1(random, IsPublic), bobPrivate = F1(random, i => !IsPublic(i));
        Assert.InRange(bobPublic, 0.05, 0.7); // a random detector is far from perfect

        var board = await LeaderboardAsync("teacher", id);
        var top = board.GetProperty("public").EnumerateArray().ToList();
        Assert.Equal(["alice", "bob"], top.Select(e => e.GetProperty("student").GetString()));
        Assert.Equal(1.0, top[0].GetProperty("score").GetDouble(), 12);
        Assert.Equal(bobPublic, top[1].GetProperty("score").GetDouble(), 12);
        Assert.Equal("f1", board.GetProperty("metric").GetString());

        // Alice sees her name and a pseudonym for Bob, and no private part before the deadline.
        var hers = await LeaderboardAsync("alice", id);
        var entries = hers.GetProperty("public").EnumerateArray().ToList();
        Assert.Equal("alice", entries[0].GetProperty("student").GetString());
        Assert.True(entries[0].GetProperty("you").GetBoolean());
        Assert.StartsWith("participant-", entries[1].GetProperty("student").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, hers.GetProperty("private").ValueKind);
        var own = (await _clients["alice"].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}/submissions")).EnumerateArray().ToList();
        Assert.Single(own);
        Assert.Equal(JsonValueKind.Null, own[0].GetProperty("private_score").ValueKind);
        Assert.False(own[0].GetProperty("metrics").TryGetProperty("private", out _));
        Assert.Equal(100, own[0].GetProperty("metrics").GetProperty("public").GetProperty("nab_standard").GetDouble(), 6);
        Assert.Equal(2, (await _clients["teacher"].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}/submissions")).GetArrayLength());

        // After the deadline: the private ranks, the same submissions scored on the other keys; no more submissions.
        await _api.WithStoreAsync(async (db, _) =>
        {
            (await db.Assignments.SingleAsync(x => x.Id == id)).Deadline = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        });
        var closed = await LeaderboardAsync("bob", id);
        Assert.True(closed.GetProperty("closed").GetBoolean());
        var last = closed.GetProperty("private").EnumerateArray().ToList();
        Assert.Equal(1.0, last[0].GetProperty("score").GetDouble(), 12);
        Assert.Equal(bobPrivate, last[1].GetProperty("score").GetDouble(), 12);
        Assert.Equal("bob", last[1].GetProperty("student").GetString());
        Assert.StartsWith("participant-", last[0].GetProperty("student").GetString(), StringComparison.Ordinal);
        var bobs = (await _clients["bob"].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}/submissions")).EnumerateArray().Single();
        Assert.Equal(bobPrivate, bobs.GetProperty("private_score").GetDouble(), 12);
        using var late = await SubmitAsync("alice", id, Perfect());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task OutsidersOfTheClass_Get404OnEveryAssignmentEndpoint_ExactlyLikeAnUnknownId()
    {
        int id = await CreateAsync();
        using (var a = await SubmitAsync("alice", id, Perfect())) Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        foreach (var who in new[] { "carol", "member", "faraway" })
        {
            foreach (var path in new[] { "", "/files/samples.csv", "/submissions", "/leaderboard" })
            {
                using var response = await _clients[who].GetAsync($"/api/assignments/{id}{path}");
                using var unknown = await _clients[who].GetAsync($"/api/assignments/{id + 1000}{path}");
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{who} GET {path}: {response.StatusCode}");
                Assert.Equal(unknown.StatusCode, response.StatusCode);
            }
            Assert.Empty((await _clients[who].GetFromJsonAsync<JsonElement>("/api/assignments")).EnumerateArray());
        }
        foreach (var who in new[] { "carol", "member" })
        {
            using var response = await SubmitAsync(who, id, Perfect());
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        // An instructor may not submit at all, whichever assignment (403 for every id alike).
        using (var response = await SubmitAsync("faraway", id, Perfect())) Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        // Nor set one for another site's class: it is as unknown as a class that does not exist.
        var elsewhere = new { site = "lab", @class = "class-a", title = "x", dataset = _datasetId, task = "detection", window_seconds = 30, deadline = DateTime.UtcNow.AddDays(1).ToString("O") };
        using (var response = await _clients["faraway"].PostAsJsonAsync("/api/assignments", elsewhere)) Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single((await _clients["alice"].GetFromJsonAsync<JsonElement>("/api/assignments")).EnumerateArray());
        Assert.Single((await _clients["admin"].GetFromJsonAsync<JsonElement>("/api/assignments")).EnumerateArray());
    }

    [Fact]
    public async Task BadSubmissions_GetClearErrors_StoreNothing_AndLeaveTheLeaderboardUnchanged_AndTheDailyLimitHolds()
    {
        int id = await CreateAsync(perDay: 2);
        using (var a = await SubmitAsync("alice", id, Perfect())) Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        var before = (await LeaderboardAsync("teacher", id)).GetProperty("public").ToString();
        var folder = Path.Combine(_datasets.Path, "assignments", id.ToString(), "submissions");

        var outside = $"rig-1,{UtcTimestamp.Format(Ns(Seconds + 5))},0";
        var cases = new (string Text, string Expected)[]
        {
            (Predictions(i => "0", header: "rig,time,flag"), "line 1: the header must be exactly 'rig,time,anomaly'"),
            (Predictions(i => "0", extra: [$"rig-1,{UtcTimestamp.Format(Ns(3))},1"]), $"line {Seconds + 2}: duplicate key rig-1,{UtcTimestamp.Format(Ns(3))} (first on line 5)"),
            (Predictions(i => "0", extra: [outside]), "lies outside the dataset"),
            (Predictions(i => i == 7 ? "NaN" : "0"), "line 9: anomaly 'NaN' must be 0 or 1"),
            (Predictions(i => i == 7 ? "0,extra" : "0"), "line 9: 4 cells, a line has 3"),
            (Predictions(i => "0").Replace("rig-1,", "rig-9,", StringComparison.Ordinal), "line 2: unknown rig 'rig-9'"),
        };
        foreach (var (text, expected) in cases)
        {
            using var response = await SubmitAsync("bob", id, text);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"'{expected}' not in {body}");
        }
        var tooLarge = Perfect() + new string('#', (int)MaxUpload);
        using (var response = await SubmitAsync("bob", id, tooLarge)) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        // Without a Content-Length the reader stops at the limit too.
        using (var chunked = new HttpRequestMessage(HttpMethod.Post, $"/api/assignments/{id}/submissions") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(tooLarge))) })
        {
            chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            chunked.Headers.TransferEncodingChunked = true;
            using var response = await _clients["bob"].SendAsync(chunked);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        using (var response = await _clients["bob"].PostAsync($"/api/assignments/{id}/submissions", new StringContent(Perfect(), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);

        Assert.Equal(before, (await LeaderboardAsync("teacher", id)).GetProperty("public").ToString());
        Assert.Equal(["1.csv"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.Empty((await _clients["bob"].GetFromJsonAsync<JsonElement>($"/api/assignments/{id}/submissions")).EnumerateArray());
        await _api.WithStoreAsync(async (db, _) => Assert.Equal(6, await db.Audit.CountAsync(e => e.Action == "assignment.submit" && e.Outcome == "refused")));

        // The daily limit counts stored submissions only: bob's refused files did not use it up.
        using (var b1 = await SubmitAsync("bob", id, Perfect())) Assert.Equal(HttpStatusCode.Created, b1.StatusCode);
        using (var b2 = await SubmitAsync("bob", id, Perfect())) Assert.Equal(HttpStatusCode.Created, b2.StatusCode);
        using (var b3 = await SubmitAsync("bob", id, Perfect()))
        {
            Assert.Equal((HttpStatusCode)429, b3.StatusCode);
            Assert.NotNull(b3.Headers.RetryAfter);
        }
        Assert.Equal(3, Directory.EnumerateFileSystemEntries(folder).Count());
    }

    [Fact]
    public async Task AnAssignment_NeedsHiddenLabels_AFutureDeadline_AndAClassOfTheSite()
    {
        // The same selection frozen again with its labels published is version 2 of the dataset, and the newest.
        var published = await FreezeAsync(hidden: false);
        Assert.Equal(_datasetId, published);
        var teacher = _clients["teacher"];
        using (var response = await teacher.PostAsJsonAsync("/api/assignments", Request(published)))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("hide_labels", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var response = await teacher.PostAsJsonAsync("/api/assignments", Request(_datasetId, deadline: DateTime.UtcNow.AddHours(-1).ToString("O"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("deadline", out _));
        }
        using (var response = await teacher.PostAsJsonAsync("/api/assignments", Request(_datasetId, task: "rul")))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // no failure_label
        using (var response = await teacher.PostAsJsonAsync("/api/assignments", Request(_datasetId, @class: "class-z")))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/assignments")).EnumerateArray());
        await _api.WithStoreAsync(async (db, _) => Assert.Equal(4, await db.Audit.CountAsync(e => e.Action == "assignment.create" && e.Outcome == "refused")));

        // A classification task on the same data: its key is windows of 30 s, the class at the middle.
        using var made = await teacher.PostAsJsonAsync("/api/assignments", Request(_datasetId, task: "classification", version: 1));
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        int id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var text = new StringBuilder("rig,window_start,class\n");
        for (int w = 0; w < Seconds; w += 30)
            text.Append("rig-1,").Append(UtcTimestamp.Format(Ns(w))).Append(',').Append(w + 15 is >= 100 and < 200 ? "cavitation" : w + 15 is >= 400 and < 460 ? "dry_run" : "normal").Append('\n');
        using var submitted = await SubmitAsync("alice", id, text.ToString());
        var body = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal(1.0, body.GetProperty("public_score").GetDouble(), 12);
        Assert.Equal(1.0, body.GetProperty("metrics").GetProperty("public").GetProperty("accuracy").GetDouble(), 12);
    }
}
