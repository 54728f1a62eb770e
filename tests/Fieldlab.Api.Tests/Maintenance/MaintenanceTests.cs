using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Tests.Maintenance;

/// <summary>The maintenance log of a rig: recorded by who may maintain the rig at the time it was performed, read by
/// who may read the rig's data then, and — with <c>rebaseline: true</c> — re-baselining the rig's models through
/// ingest (here the test's own stand-in, which records what it was asked), only with that right too.</summary>
[Collection("servers")]
public sealed class MaintenanceTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Rig = "/api/sites/lab/rigs/rig-1";
    private readonly SmallTenancy _tenancy = new();
    private readonly DateTime _pilotStart = DateTime.UtcNow.AddHours(-1);
    private LocalHttpReceiver _ingest = null!;
    private ApiUnderTest _api = null!;
    private HttpClient _teacher = null!;
    private HttpClient _pupil = null!;
    private HttpClient _member = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _ingest = await LocalHttpReceiver.StartAsync();
        _ingest.Answer = _ => 202;
        // rig-1 is idle (the instructor may re-baseline it); shared-1 is in the company's running pilot.
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, async (db, users) =>
        {
            await _tenancy.SeedAsync(db, users);
            await SiteRegistry.AddRigAsync(db, "lab", "shared-1", null, DateTime.UtcNow, CancellationToken.None);
            await PilotBook.CreateAsync(db, "company", "pilot", [new("lab", "shared-1")], _pilotStart, null, false, DateTime.UtcNow, CancellationToken.None);
        }, settings: new Dictionary<string, string?> { ["IngestService:Url"] = _ingest.Url });
        _teacher = _api.Client(await _api.TokenAsync("teacher"));
        _pupil = _api.Client(await _api.TokenAsync("pupil"));
        _member = _api.Client(await _api.TokenAsync("member"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _teacher.Dispose();
        _pupil.Dispose();
        _member.Dispose();
        await _api.DisposeAsync();
        await _ingest.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<int> StoredAsync()
    {
        int n = 0;
        await _api.WithStoreAsync(async (db, _) => n = await db.MaintenanceActions.CountAsync());
        return n;
    }

    [Fact]
    public async Task RecordWithRebaseline_AsInstructor_AsksIngestWithTheServiceKey_AndAuditsBoth()
    {
        var (status, body) = await PostAsync(_teacher, $"{Rig}/maintenance", new { what = "bearing replaced", component = "drive-end bearing", notes = "SKF 6205", rebaseline = true });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("teacher", body.GetProperty("performed_by").GetString());
        var rebaseline = body.GetProperty("rebaseline");
        Assert.Equal("ok", rebaseline.GetProperty("outcome").GetString());
        Assert.Equal(202, rebaseline.GetProperty("status").GetInt32());

        var call = Assert.Single(_ingest.Received);
        Assert.Equal(("POST", "/models/lab/rig-1/baseline"), (call.Method, call.Path));
        var keyFile = _api.Factory.Services.GetRequiredService<IOptions<Fieldlab.Api.Ingest.IngestServiceOptions>>().Value.KeyFile!;
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        Assert.Equal($"Bearer {key}", call.Headers["Authorization"]);

        long id = body.GetProperty("id").GetInt64();
        await _api.WithStoreAsync(async (db, _) =>
        {
            var audit = await db.Audit.Where(a => a.Target == $"maintenance:{id}").OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome).ToListAsync();
            Assert.Equal(["maintenance.record:ok", "models.rebaseline:ok"], audit);
            var stored = await db.MaintenanceActions.SingleAsync(m => m.Id == id);
            Assert.True(stored.RebaselineRequested);
            Assert.Equal("ok", stored.RebaselineOutcome);
        });
        // The log says a re-baseline was asked for, and how it went.
        var log = await _pupil.GetFromJsonAsync<JsonElement>($"{Rig}/maintenance");
        var listed = Assert.Single(log.GetProperty("maintenance").EnumerateArray());
        Assert.Equal("ok", listed.GetProperty("rebaseline").GetProperty("outcome").GetString());
        Assert.Equal("SKF 6205", listed.GetProperty("notes").GetString());
    }

    [Fact]
    public async Task RebaselineWithoutTheRight_Is403_AndNothingIsStoredOrAsked()
    {
        // The company member may record maintenance in its running pilot, but never re-baseline; the instructor may
        // record it on the pilot's rig, but not re-baseline a rig whose pilot runs (site-idle).
        var (status, body) = await PostAsync(_member, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal replaced", component = "pump seal", rebaseline = true });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("nothing was recorded", body.GetProperty("detail").GetString());
        (status, _) = await PostAsync(_teacher, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal replaced", component = "pump seal", rebaseline = true });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        // A student may not record maintenance at all.
        (status, _) = await PostAsync(_pupil, $"{Rig}/maintenance", new { what = "x", component = "y" });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(0, await StoredAsync());
        Assert.Empty(_ingest.Received);

        // Without rebaseline both may.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(_member, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal replaced", component = "pump seal" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(_teacher, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal checked", component = "pump seal" })).Status);
        Assert.Equal(2, await StoredAsync());
    }

    [Fact]
    public async Task ACompanyRecordsOnlyInsideItsWindow_AndStudentsDoNotSeeThePilotsRecords()
    {
        var before = _pilotStart.AddMinutes(-5).ToString("O");
        var (status, _) = await PostAsync(_member, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal replaced", component = "pump seal", performed_at = before });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await PostAsync(_member, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "seal replaced", component = "pump seal", performed_at = "now" });
        Assert.Equal(HttpStatusCode.Created, status);
        (status, _) = await PostAsync(_teacher, "/api/sites/lab/rigs/shared-1/maintenance", new { what = "impeller cleaned", component = "impeller", performed_at = before });
        Assert.Equal(HttpStatusCode.Created, status);

        static async Task<string[]> WhatAsync(HttpClient client) => [.. (await client.GetFromJsonAsync<JsonElement>("/api/sites/lab/rigs/shared-1/maintenance"))
            .GetProperty("maintenance").EnumerateArray().Select(m => m.GetProperty("what").GetString()!)];
        Assert.Equal(["impeller cleaned"], await WhatAsync(_pupil));
        Assert.Equal(["seal replaced"], await WhatAsync(_member));
    }

    [Fact]
    public async Task IngestUnreachable_KeepsTheRecord_AndSaysTheRebaselineFailed()
    {
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, new SmallTenancy().SeedAsync);
        using var teacher = api.Client(await api.TokenAsync("teacher"));
        var (status, body) = await PostAsync(teacher, $"{Rig}/maintenance", new { what = "bearing replaced", component = "bearing", rebaseline = true });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("failed", body.GetProperty("rebaseline").GetProperty("outcome").GetString());
        Assert.Equal(503, body.GetProperty("rebaseline").GetProperty("status").GetInt32());
        await api.WithStoreAsync(async (db, _) => Assert.Equal("failed", (await db.MaintenanceActions.SingleAsync()).RebaselineOutcome));
    }

    [Fact]
    public async Task BadInput_Is400_NamingEachField_AndNothingIsStored()
    {
        var (status, body) = await PostAsync(_teacher, $"{Rig}/maintenance", new { what = "", component = new string('c', 201), performed_at = "last tuesday", notes = new string('n', 4001) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = body.GetProperty("errors");
        foreach (var field in new[] { "what", "component", "performed_at", "notes" }) Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        (status, body) = await PostAsync(_teacher, $"{Rig}/maintenance", new { what = "bearing replaced", component = "bearing", performed_at = DateTime.UtcNow.AddHours(1).ToString("O") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not before", body.GetProperty("errors").GetProperty("performed_at")[0].GetString());
        using (var bad = await _teacher.GetAsync($"{Rig}/maintenance?from=later&limit=0"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var text = await bad.Content.ReadAsStringAsync();
            Assert.Contains("\"from\"", text);
            Assert.Contains("\"limit\"", text);
        }
        Assert.Equal(0, await StoredAsync());
        Assert.Empty(_ingest.Received);
    }
}
