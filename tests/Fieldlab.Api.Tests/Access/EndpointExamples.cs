using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tests.Access;

/// <summary>One request per documented endpoint, as a client would send it, with the status it answers when allowed and
/// the targets it is tried on. An endpoint in docs/access.md without an example here fails the matrix: a new endpoint
/// must come with its row and its example.</summary>
public static class EndpointExamples
{
    /// <summary>What a request is built from.</summary>
    public sealed record Cell(AccessFixture Fixture, MatrixCaller Caller, MatrixTarget Target, HttpClient Client)
    {
        /// <summary>A name nobody used before.</summary>
        public string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(30, prefix.Length + 13)];

        /// <summary>The target rig's path.</summary>
        public string RigPath(string resource = "") => Target is RigTarget r ? $"/api/sites/{r.Site}/rigs/{r.Name}{resource}" : throw new InvalidOperationException("not a rig cell");

        /// <summary>The target site.</summary>
        public string SiteName => ((SiteTarget)Target).Name;

        /// <summary>The target pilot's id (a missing one for an unknown key).</summary>
        public int PilotId => Fixture.Tenancy.Pilots.TryGetValue(((PilotTarget)Target).Key, out var id) ? id : 999_999;

        /// <summary>The time window every data request asks for.</summary>
        public static string Window => "from=now-1d&to=now";

        /// <summary>The person whose rights apply (the OIDC student is a student), or null.</summary>
        public string? Person => Caller.Person == "oidc" ? "student" : Caller.Person;

        /// <summary>The account name of the caller (the student's for callers without one).</summary>
        public string AccountName => Caller.Person switch { null => "student", "oidc" => OidcName, var p => p };

        /// <summary>The occurrence key of the target rig's marker alert that the caller may see (marker 1 if none:
        /// the answer is 404 then anyway).</summary>
        public string MarkerAlert()
        {
            var marker = VisibleMarker();
            long ns = Fieldlab.Telemetry.Wire.UtcTimestamp.ToNanoseconds(new DateTimeOffset(Fixture.Tenancy.Markers.First(m => m.Marker == marker).T));
            return $"m{marker}@{ns}";
        }

        /// <summary>A raised alert nobody acted on yet, on the target rig at a time the caller may see (a few ms after
        /// its visible marker, and off the 100 ns grid: the key must keep nanoseconds).</summary>
        public async Task<string> FreshAlertAsync()
        {
            int n = Interlocked.Increment(ref _freshAlerts);
            var t = Fixture.Tenancy.Markers.First(m => m.Marker == VisibleMarker()).T.AddMilliseconds(n);
            long ns = Fieldlab.Telemetry.Wire.UtcTimestamp.ToNanoseconds(new DateTimeOffset(t)) + 37;
            var id = $"matrix-{n}";
            // Nobody without an account gets past 401: no point is written for them.
            if (Caller.Person is not null && Target is RigTarget rig)
            {
                var lines = new Fieldlab.Telemetry.Influx.LineProtocolWriter();
                lines.BeginPoint("alerts").Tag("id", id).Tag("rig", rig.Name).Tag("site", rig.Site).Field("state", "raised").Field("kind", "anomaly")
                    .Field("summary", "matrix").Field("score", 1.0).EndPoint(ns);
                await Fixture.InfluxAdmin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
            }
            return $"{id}@{ns}";
        }

        private int VisibleMarker() => Person is { } p && Target is RigTarget r && MatrixTenancy.DataMarkers(p, r.Name) is [var first, ..] ? first : 1;
    }

    private static int _freshAlerts;

    /// <summary>An example: success status, targets, and how to build the request.</summary>
    public sealed record Example(int Success, MatrixTarget[] Targets, Func<Cell, Task<HttpRequestMessage>> Build);

    private static readonly MatrixTarget[] Untargeted = [new NoTarget()];
    private static readonly MatrixTarget[] Sites = [new SiteTarget("techport"), new SiteTarget("other")];
    private static readonly MatrixTarget[] PilotsAB = [new PilotTarget("A"), new PilotTarget("B"), new PilotTarget("unknown")];

    /// <summary>Every rig of the tenancy, an unknown rig at a known site and a rig at an unknown site.</summary>
    public static readonly MatrixTarget[] Rigs =
        [.. MatrixTenancy.Rigs.Select(r => (MatrixTarget)new RigTarget(r.Site, r.Rig)), new RigTarget("techport", "nope-1"), new RigTarget("nowhere", "pump-1")];

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static Task<HttpRequestMessage> Send(HttpMethod method, string path, object? body = null) => Task.FromResult(new HttpRequestMessage(method, path)
    {
        Content = body is null ? null : JsonContent.Create(body, options: new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }),
    });

    /// <summary>The examples, by "METHOD route".</summary>
    public static readonly IReadOnlyDictionary<string, Example> All = new Dictionary<string, Example>
    {
        ["GET /healthz"] = new(200, Untargeted, _ => Get("/healthz")),
        // In-process, as every matrix call: no network peer, so the scrape guard lets it through (loopback rule).
        ["GET /metrics"] = new(200, Untargeted, _ => Get("/metrics")),
        ["GET /openapi/{documentName}.json"] = new(200, Untargeted, _ => Get("/openapi/v1.json")),
        ["GET /scalar/{documentName?}"] = new(200, Untargeted, _ => Get("/scalar/v1")),
        ["GET /scalar/scalar.js"] = new(200, Untargeted, _ => Get("/scalar/scalar.js")),
        ["GET /scalar/scalar.aspnetcore.js"] = new(200, Untargeted, _ => Get("/scalar/scalar.aspnetcore.js")),
        ["GET /scalar/favicon.svg"] = new(200, Untargeted, _ => Get("/scalar/favicon.svg")),
        ["GET /api/session/antiforgery"] = new(200, Untargeted, _ => Get("/api/session/antiforgery")),
        ["POST /api/session"] = new(200, Untargeted, async c =>
        {
            var person = c.Caller.Person is "admin" or "docent" or "student" or "anna" ? c.Caller.Person : "student";
            var token = await c.Client.GetFromJsonAsync<JsonElement>("/api/session/antiforgery");
            return new HttpRequestMessage(HttpMethod.Post, "/api/session")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = person,
                    ["password"] = c.Fixture.Tenancy.Passwords[person],
                    [token.GetProperty("form_field").GetString()!] = token.GetProperty("token").GetString()!,
                }),
            };
        }),
        ["POST /api/session/token"] = new(201, Untargeted, c => Send(HttpMethod.Post, "/api/session/token",
            new { UserName = "bart", Password = c.Fixture.Tenancy.Passwords["bart"], Name = "matrix", ValidFor = "1h" })),
        ["DELETE /api/session"] = new(204, Untargeted, _ => Send(HttpMethod.Delete, "/api/session")),
        ["POST /api/invitations/accept"] = new(201, Untargeted, async c =>
        {
            string code = "";
            await c.Fixture.Api.WithStoreAsync(async (db, _) =>
            {
                var schoolClass = await ClassRoster.FindAsync(db, "techport", "class-1", CancellationToken.None);
                code = (await ClassRoster.InviteAsync(db, schoolClass, 1, TimeSpan.FromHours(1), null, DateTime.UtcNow, CancellationToken.None)).Code;
            });
            return await Send(HttpMethod.Post, "/api/invitations/accept", new { Code = code, UserName = c.Unique("inv"), Password = "a long enough password" });
        }),
        ["GET /api/me"] = new(200, Untargeted, _ => Get("/api/me")),
        ["GET /api/me/tokens"] = new(200, Untargeted, _ => Get("/api/me/tokens")),
        ["POST /api/me/tokens"] = new(201, Untargeted, _ => Send(HttpMethod.Post, "/api/me/tokens", new { Name = "matrix", ValidFor = "1h" })),
        ["DELETE /api/me/tokens/{id}"] = new(204, Untargeted, async c =>
        {
            // A token of the caller's own (of the student's for callers without an account: they must not get past 401).
            var owner = c.Caller.Person is { } p && p != "oidc" ? p : "student";
            string id = "";
            await c.Fixture.Api.WithStoreAsync(async (db, users) =>
            {
                var user = await users.FindByNameAsync(c.Caller.Person == "oidc" ? OidcName : owner);
                id = (await ApiTokens.CreateAsync(db, user!.Id, "to revoke", TimeSpan.FromHours(1), DateTime.UtcNow, CancellationToken.None)).Token.Id;
            });
            return await Send(HttpMethod.Delete, $"/api/me/tokens/{id}");
        }),
        ["GET /api/me/notifications"] = new(200, Untargeted, _ => Get("/api/me/notifications")),
        // Off, so that no alert the other tests publish is delivered anywhere.
        ["PUT /api/me/notifications"] = new(200, Untargeted, _ => Send(HttpMethod.Put, "/api/me/notifications",
            new { Enabled = false, WebhookUrl = "https://hooks.example.invalid/matrix", Kinds = new[] { "bearing" } })),
        ["GET /api/sites"] = new(200, Untargeted, _ => Get("/api/sites")),
        ["POST /api/sites"] = new(201, Untargeted, c => Send(HttpMethod.Post, "/api/sites", new { Id = c.Unique("site"), Name = "matrix" })),
        ["GET /api/sites/{site}/rigs"] = new(200, [.. Sites, new SiteTarget("nowhere")], c => Get($"/api/sites/{c.SiteName}/rigs")),
        ["POST /api/sites/{site}/rigs"] = new(201, [.. Sites, new SiteTarget("nowhere")], c => Send(HttpMethod.Post, $"/api/sites/{c.SiteName}/rigs", new { Rig = c.Unique("rig") })),
        ["GET /api/sites/{site}/rigs/{rig}"] = new(200, Rigs, c => Get(c.RigPath())),
        ["GET /api/sites/{site}/rigs/{rig}/series"] = new(200, Rigs, c => Get(c.RigPath($"/series?sensor=flow&{Cell.Window}"))),
        ["GET /api/sites/{site}/rigs/{rig}/latest"] = new(200, Rigs, c => Get(c.RigPath("/latest?within=1d"))),
        ["GET /api/sites/{site}/rigs/{rig}/export"] = new(200, Rigs, c => Get(c.RigPath($"/export?stream=process&{Cell.Window}"))),
        ["GET /api/sites/{site}/rigs/{rig}/alerts"] = new(200, Rigs, c => Get(c.RigPath("/alerts?within=1d"))),
        ["POST /api/sites/{site}/rigs/{rig}/alerts/{occurrence}/acknowledge"] = new(200, Rigs, c => Send(HttpMethod.Post, c.RigPath($"/alerts/{c.MarkerAlert()}/acknowledge"))),
        ["PUT /api/sites/{site}/rigs/{rig}/alerts/{occurrence}/assignee"] = new(200, Rigs, c => Send(HttpMethod.Put, c.RigPath($"/alerts/{c.MarkerAlert()}/assignee"),
            new { User = c.AccountName })), // the caller may see the alert, so it may be assigned to them
        ["GET /api/sites/{site}/rigs/{rig}/alerts/{occurrence}/comments"] = new(200, Rigs, c => Get(c.RigPath($"/alerts/{c.MarkerAlert()}/comments"))),
        ["POST /api/sites/{site}/rigs/{rig}/alerts/{occurrence}/comments"] = new(201, Rigs, c => Send(HttpMethod.Post, c.RigPath($"/alerts/{c.MarkerAlert()}/comments"),
            new { Text = "matrix" })),
        // A closed alert cannot be closed again: every cell closes an alert of its own.
        ["POST /api/sites/{site}/rigs/{rig}/alerts/{occurrence}/close"] = new(200, Rigs, async c => await Send(HttpMethod.Post,
            c.RigPath($"/alerts/{await c.FreshAlertAsync()}/close"), new { Resolution = "matrix" })),
        ["GET /api/sites/{site}/rigs/{rig}/maintenance"] = new(200, Rigs, c => Get(c.RigPath($"/maintenance?{Cell.Window}"))),
        ["POST /api/sites/{site}/rigs/{rig}/maintenance"] = new(201, Rigs, c => Send(HttpMethod.Post, c.RigPath("/maintenance"),
            new { What = c.Unique("matrix"), Component = "matrix", PerformedAt = "now" })),
        ["GET /api/sites/{site}/rigs/{rig}/faults"] = new(200, Rigs, c => Get(c.RigPath($"/faults?{Cell.Window}"))),
        ["POST /api/sites/{site}/rigs/{rig}/faults"] = new(200, Rigs, c => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, c.RigPath("/faults"))
        {
            Content = new StringContent("""{"id":"matrix","action":"start","fault":"bearing_outer","severity":0.5}""", Encoding.UTF8, "application/json"),
        })),
        ["POST /api/sites/{site}/rigs/{rig}/models/baseline"] = new(202, Rigs, c => Send(HttpMethod.Post, c.RigPath("/models/baseline"))),
        ["PUT /api/sites/{site}/rigs/{rig}/truth-release"] = new(200, Rigs, c => Send(HttpMethod.Put, c.RigPath("/truth-release"),
            // The tenancy's own value again, so that the matrix does not change what it measures.
            new { Until = c.Target is RigTarget { Name: "fuelcell-1" } ? c.Fixture.Tenancy.T1.ToString("O") : null })),
        ["GET /api/sites/{site}/classes"] = new(200, Sites, c => Get($"/api/sites/{c.SiteName}/classes")),
        ["POST /api/sites/{site}/classes"] = new(201, Sites, c => Send(HttpMethod.Post, $"/api/sites/{c.SiteName}/classes", new { Name = c.Unique("class") })),
        ["POST /api/sites/{site}/classes/{name}/invitations"] = new(201, Sites, c => Send(HttpMethod.Post,
            $"/api/sites/{c.SiteName}/classes/{(c.SiteName == "techport" ? "class-1" : "class-9")}/invitations", new { Uses = 1, ValidFor = "1h" })),
        ["DELETE /api/sites/{site}/classes/{name}/members/{user}"] = new(204, Sites, async c =>
        {
            var name = c.Unique("pupil");
            var className = c.SiteName == "techport" ? "class-1" : "class-9";
            await c.Fixture.Api.WithStoreAsync(async (db, users) =>
            {
                var user = await UserAccounts.CreateAsync(users, db, new NewAccount(name, Role.Student, c.SiteName, null, "a long enough password"), DateTime.UtcNow, CancellationToken.None);
                await ClassRoster.AddMemberAsync(db, await ClassRoster.FindAsync(db, c.SiteName, className, CancellationToken.None), user, CancellationToken.None);
            });
            return await Send(HttpMethod.Delete, $"/api/sites/{c.SiteName}/classes/{className}/members/{name}");
        }),
        ["GET /api/sites/{site}/audit"] = new(200, Sites, c => Get($"/api/sites/{c.SiteName}/audit")),
        ["GET /api/audit"] = new(200, Untargeted, _ => Get("/api/audit")),
        ["GET /api/organisations"] = new(200, Untargeted, _ => Get("/api/organisations")),
        ["POST /api/organisations"] = new(201, Untargeted, c => Send(HttpMethod.Post, "/api/organisations", new { Id = c.Unique("org") })),
        ["GET /api/pilots"] = new(200, Untargeted, _ => Get("/api/pilots")),
        ["POST /api/pilots"] = new(201, Untargeted, _ => Send(HttpMethod.Post, "/api/pilots",
            new { Organisation = "pilot-a", Name = "matrix", Rigs = new[] { "techport/spare-1" }, Start = "now", End = DateTime.UtcNow.AddHours(1).ToString("O") })),
        ["GET /api/pilots/{id}"] = new(200, PilotsAB, c => Get($"/api/pilots/{c.PilotId}")),
        ["POST /api/pilots/{id}/end"] = new(200, [new PilotTarget("S")], c => Send(HttpMethod.Post, $"/api/pilots/{c.PilotId}/end", new { })),
        ["PUT /api/pilots/{id}/sharing"] = new(200, PilotsAB, c => Send(HttpMethod.Put, $"/api/pilots/{c.PilotId}/sharing",
            new { Shared = c.Target is PilotTarget { Key: "B" } })),
        ["GET /api/pilots/{id}/export"] = new(200, PilotsAB, c => Get($"/api/pilots/{c.PilotId}/export")),
        ["GET /api/users"] = new(200, Untargeted, _ => Get("/api/users")),
        ["POST /api/users"] = new(201, Untargeted, c => Send(HttpMethod.Post, "/api/users", new { UserName = c.Unique("made"), Role = "Student", Site = "techport" })),
        ["DELETE /api/users/{name}"] = new(200, Untargeted, async c =>
        {
            var name = c.Unique("gone");
            await c.Fixture.Api.WithStoreAsync(async (db, users) =>
                await UserAccounts.CreateAsync(users, db, new NewAccount(name, Role.Student, "techport", null, "a long enough password"), DateTime.UtcNow, CancellationToken.None));
            return await Send(HttpMethod.Delete, $"/api/users/{name}");
        }),
        ["GET /api/ingest/quarantine"] = new(200, Untargeted, _ => Get("/api/ingest/quarantine")),
        ["POST /api/ingest/quarantine/replay"] = new(200, Untargeted, _ => Send(HttpMethod.Post, "/api/ingest/quarantine/replay?reason=none")),
        ["GET /api/ingest/models"] = new(200, Untargeted, _ => Get("/api/ingest/models")),
        // Datasets: the matrix asks for ones that do not exist (allowed callers get 404, the others 401/403); who sees a
        // real dataset is proved in Datasets/DatasetsApiTests.
        ["POST /api/datasets"] = new(404, Untargeted, _ => Send(HttpMethod.Post, "/api/datasets", new { site = "techport", rigs = new[] { "nope-1" }, from = "now-2h", to = "now-1h" })),
        ["GET /api/datasets"] = new(200, Untargeted, _ => Get("/api/datasets")),
        ["GET /api/datasets/{id}"] = new(404, Untargeted, _ => Get("/api/datasets/ds-nope")),
        ["GET /api/datasets/{id}/versions/{version}/files/{name}"] = new(404, Untargeted, _ => Get("/api/datasets/ds-nope/versions/1/files/samples.csv")),
        ["GET /api/datasets/{id}/versions/{version}/labels"] = new(404, Untargeted, _ => Get("/api/datasets/ds-nope/versions/1/labels")),
        ["POST /api/datasets/{id}/sandboxes"] = new(404, Untargeted, _ => Send(HttpMethod.Post, "/api/datasets/ds-nope/sandboxes", new { speed = 10 })),
        ["GET /api/sandboxes"] = new(200, Untargeted, _ => Get("/api/sandboxes")),
        ["PUT /api/sandboxes/{sandbox}/progress"] = new(404, Untargeted, _ => Send(HttpMethod.Put, "/api/sandboxes/lab-nope/progress", new { rows = 1, finished = false })),
        ["DELETE /api/sandboxes/{sandbox}"] = new(404, Untargeted, _ => Send(HttpMethod.Delete, "/api/sandboxes/lab-nope", null)),
        // Assignments: the matrix asks for ones that do not exist (allowed callers get 404 — also a company member, who is
        // in no class —, the others 401/403); who sees a real one is proved in Assignments/AssignmentsApiTests.
        ["POST /api/assignments"] = new(404, Untargeted, _ => Send(HttpMethod.Post, "/api/assignments", new
        {
            site = "techport", @class = "class-nope", title = "matrix", dataset = "ds-nope", task = "detection", window_seconds = 10,
            deadline = DateTime.UtcNow.AddDays(1).ToString("O"),
        })),
        ["GET /api/assignments"] = new(200, Untargeted, _ => Get("/api/assignments")),
        ["GET /api/assignments/{id}"] = new(404, Untargeted, _ => Get("/api/assignments/999999")),
        ["GET /api/assignments/{id}/files/{name}"] = new(404, Untargeted, _ => Get("/api/assignments/999999/files/samples.csv")),
        ["POST /api/assignments/{id}/submissions"] = new(404, Untargeted, _ => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, "/api/assignments/999999/submissions")
        {
            Content = new StringContent("rig,time,anomaly\n", Encoding.UTF8, "text/csv"),
        })),
        ["GET /api/assignments/{id}/submissions"] = new(404, Untargeted, _ => Get("/api/assignments/999999/submissions")),
        ["GET /api/assignments/{id}/leaderboard"] = new(404, Untargeted, _ => Get("/api/assignments/999999/leaderboard")),
        ["GET /api/ingest/metrics"] = new(200, Untargeted, _ => Get("/api/ingest/metrics")),
        ["GET /"] = new(200, Untargeted, _ => Get("/")),
        ["GET /console"] = new(200, Untargeted, _ => Get("/console/")),
        ["GET /console/sign-in"] = new(200, Untargeted, _ => Get("/console/sign-in")),
        ["GET /console/lab"] = new(200, Untargeted, _ => Get("/console/lab")),
        ["GET /console/platform"] = new(200, Untargeted, _ => Get("/console/platform")),
        ["GET /console/account"] = new(200, Untargeted, _ => Get("/console/account")),
        ["GET /console/datasets"] = new(200, Untargeted, _ => Get("/console/datasets")),
        // The page is a shell without data: it answers 200 for any id; the API answers 404 for one the caller may not read.
        ["GET /console/datasets/{id}"] = new(200, Untargeted, _ => Get("/console/datasets/ds-nope")),
        ["GET /console/assignments"] = new(200, Untargeted, _ => Get("/console/assignments")),
        // A shell as well: 200 for any id; the API answers 404 for an assignment the caller may not see.
        ["GET /console/assignments/{id}"] = new(200, Untargeted, _ => Get("/console/assignments/999999")),
        ["GET /console/pilots/{id}"] = new(200, Untargeted, _ => Get("/console/pilots/1")),
        ["GET /console/sites/{site}/rigs/{rig}"] = new(200, Rigs, c => Get(c.RigPath().Replace("/api/", "/console/", StringComparison.Ordinal))),
        ["GET /api/sites/{site}/live"] = new(200, [.. Sites, new SiteTarget("nowhere")], c => Get($"/api/sites/{c.SiteName}/live?events=1")),
        ["GET /api/sites/{site}/rigs/{rig}/live"] = new(200, Rigs, c => Get(c.RigPath("/live?events=1"))),
        ["GET /api/sites/{site}/rigs/{rig}/outputs"] = new(200, Rigs, c => Get(c.RigPath("/outputs?within=1d"))),
        ["GET /api/sites/{site}/rigs/{rig}/curve"] = new(200, Rigs, c => Get(c.RigPath("/curve?within=1d"))),
    };

    /// <summary>The account name the tests' identity provider's student gets.</summary>
    public const string OidcName = "oidc-learner";
}
