using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tests.Alerts;

/// <summary>What people do about an alert occurrence, on the secured API: acknowledge, assign to somebody who may see
/// it, comment, close with what was done and the maintenance action that did it — within who may see the alert, with
/// a clear 400 and nothing stored for bad input.</summary>
[Collection("servers")]
public sealed class AlertLifecycleTests(ServersFixture servers) : IAsyncLifetime
{
    private const string Rig = "/api/sites/lab/rigs/rig-1";
    private readonly SmallTenancy _tenancy = new();
    private readonly DateTime _pilotStart = DateTime.UtcNow.AddHours(-1);
    private ApiUnderTest _api = null!;
    private HttpClient _teacher = null!;
    private HttpClient _pupil = null!;
    private HttpClient _member = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // The company's pilot on rig-1 runs from an hour ago: before it is teaching data, after its start the company's.
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, async (db, users) =>
        {
            await _tenancy.SeedAsync(db, users);
            await PilotBook.CreateAsync(db, "company", "pilot", [SmallTenancy.Rig], _pilotStart, null, false, DateTime.UtcNow, CancellationToken.None);
        });
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
    }

    private Task<string> TeachingAlertAsync(string id) => StoredAlert.RaiseAsync(servers.Influx, _api.Database, SmallTenancy.Rig, id, _pilotStart.AddHours(-2), extraNs: 123);

    private Task<string> PilotAlertAsync(string id) => StoredAlert.RaiseAsync(servers.Influx, _api.Database, SmallTenancy.Rig, id, _pilotStart.AddMinutes(10), extraNs: 456);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<JsonElement> ListedAsync(HttpClient client, string occurrence)
    {
        var list = await client.GetFromJsonAsync<JsonElement>($"{Rig}/alerts?within=1d");
        return list.GetProperty("alerts").EnumerateArray().Single(a => a.GetProperty("occurrence").GetString() == occurrence);
    }

    [Fact]
    public async Task AcknowledgeAssignCommentClose_RoundTrip_AndTheListShowsEachStep()
    {
        var occurrence = await TeachingAlertAsync("bearing");
        var listed = await ListedAsync(_teacher, occurrence);
        Assert.Equal("open", listed.GetProperty("lifecycle").GetProperty("status").GetString());
        Assert.Equal(0, listed.GetProperty("lifecycle").GetProperty("comments").GetInt32());

        var (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/acknowledge");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(occurrence, body.GetProperty("occurrence").GetString());
        Assert.Equal("acknowledged", body.GetProperty("lifecycle").GetProperty("status").GetString());
        Assert.Equal("teacher", body.GetProperty("lifecycle").GetProperty("acknowledged_by").GetString());

        (status, body) = await SendAsync(_teacher, HttpMethod.Put, $"{Rig}/alerts/{occurrence}/assignee", new { user = "pupil" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pupil", body.GetProperty("lifecycle").GetProperty("assignee").GetString());

        // The pupil may see the alert, so it may act on it too.
        (status, body) = await SendAsync(_pupil, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/comments", new { text = "Envelope spectrum shows BPFO." });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("pupil", body.GetProperty("author").GetString());
        (status, _) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/comments", new { text = "Agreed, replace it." });
        Assert.Equal(HttpStatusCode.Created, status);
        var comments = await _pupil.GetFromJsonAsync<JsonElement>($"{Rig}/alerts/{occurrence}/comments");
        Assert.Equal(["Envelope spectrum shows BPFO.", "Agreed, replace it."], comments.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("text").GetString()));

        (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/close", new { resolution = "Bearing replaced." });
        Assert.Equal(HttpStatusCode.OK, status);
        var lifecycle = body.GetProperty("lifecycle");
        Assert.Equal("closed", lifecycle.GetProperty("status").GetString());
        Assert.Equal("teacher", lifecycle.GetProperty("closed_by").GetString());
        Assert.Equal("Bearing replaced.", lifecycle.GetProperty("resolution").GetString());

        listed = await ListedAsync(_pupil, occurrence);
        Assert.Equal("closed", listed.GetProperty("lifecycle").GetProperty("status").GetString());
        Assert.Equal(2, listed.GetProperty("lifecycle").GetProperty("comments").GetInt32());
        Assert.Equal("pupil", listed.GetProperty("lifecycle").GetProperty("assignee").GetString());

        // A closed alert stays closed.
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/close", new { resolution = "again" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/acknowledge")).Status);

        await _api.WithStoreAsync(async (db, _) =>
        {
            var actions = await db.Audit.Where(a => a.Target == occurrence).OrderBy(a => a.Id).Select(a => a.Action + ":" + a.Outcome).ToListAsync();
            Assert.Equal(["alert.acknowledge:ok", "alert.assign:ok", "alert.comment:ok", "alert.comment:ok", "alert.close:ok", "alert.close:refused", "alert.acknowledge:refused"], actions);
        });
    }

    [Fact]
    public async Task Assignee_WhoMayNotSeeTheAlert_IsRefused_WithTheSameSentenceAsAnUnknownAccount()
    {
        var teaching = await TeachingAlertAsync("anomaly-process");
        var inPilot = await PilotAlertAsync("anomaly-process");
        // The company member has a pilot on the rig, but its window starts after the teaching alert.
        var (status, body) = await SendAsync(_teacher, HttpMethod.Put, $"{Rig}/alerts/{teaching}/assignee", new { user = "member" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var refused = body.GetProperty("errors").GetProperty("user")[0].GetString()!;
        Assert.Contains("no account 'member' that may see this alert", refused);
        (status, body) = await SendAsync(_teacher, HttpMethod.Put, $"{Rig}/alerts/{teaching}/assignee", new { user = "nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(refused.Replace("'member'", "'nobody'"), body.GetProperty("errors").GetProperty("user")[0].GetString());
        // The pupil may not see the pilot's alert; the company member may, and may assign it to itself.
        (status, _) = await SendAsync(_member, HttpMethod.Put, $"{Rig}/alerts/{inPilot}/assignee", new { user = "pupil" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, body) = await SendAsync(_member, HttpMethod.Put, $"{Rig}/alerts/{inPilot}/assignee", new { user = "member" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("member", body.GetProperty("lifecycle").GetProperty("assignee").GetString());

        Assert.Equal(JsonValueKind.Null, (await ListedAsync(_teacher, teaching)).GetProperty("lifecycle").GetProperty("assignee").ValueKind);
        await _api.WithStoreAsync(async (db, _) => Assert.Equal(1, await db.AlertCases.CountAsync()));
    }

    [Fact]
    public async Task AnAlertInsideAPilotWindow_DoesNotExistForAStudent_AndIsTheCompanys()
    {
        var inPilot = await PilotAlertAsync("bearing");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(_pupil, HttpMethod.Post, $"{Rig}/alerts/{inPilot}/acknowledge")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(_pupil, HttpMethod.Get, $"{Rig}/alerts/{inPilot}/comments")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{inPilot}/comments", new { text = "mine?" })).Status);
        var (status, body) = await SendAsync(_member, HttpMethod.Post, $"{Rig}/alerts/{inPilot}/acknowledge");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("member", body.GetProperty("lifecycle").GetProperty("acknowledged_by").GetString());
        // Not in the pupil's list either, with or without a lifecycle.
        var list = await _pupil.GetFromJsonAsync<JsonElement>($"{Rig}/alerts?within=1d");
        Assert.DoesNotContain(list.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("occurrence").GetString() == inPilot);
    }

    [Fact]
    public async Task ClosingWithAMaintenanceAction_LinksThem_BothWays()
    {
        var occurrence = await TeachingAlertAsync("bearing");
        var (status, action) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/maintenance",
            new { what = "bearing replaced", component = "drive-end bearing", performed_at = _pilotStart.AddMinutes(-30).ToString("O") });
        Assert.Equal(HttpStatusCode.Created, status);
        long id = action.GetProperty("id").GetInt64();

        var (closed, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/close", new { resolution = "Replaced the bearing.", maintenance_id = id });
        Assert.Equal(HttpStatusCode.OK, closed);
        var link = body.GetProperty("lifecycle").GetProperty("maintenance");
        Assert.Equal(id, link.GetProperty("id").GetInt64());
        Assert.Equal("bearing replaced", link.GetProperty("what").GetString());
        Assert.Equal("drive-end bearing", link.GetProperty("component").GetString());

        var log = await _pupil.GetFromJsonAsync<JsonElement>($"{Rig}/maintenance");
        var entry = log.GetProperty("maintenance").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal([occurrence], entry.GetProperty("alerts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("teacher", entry.GetProperty("performed_by").GetString());
    }

    [Fact]
    public async Task BadInput_Is400_NamingEachField_AndNothingIsStored()
    {
        var occurrence = await TeachingAlertAsync("rul-stack");
        var (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/not-an-occurrence/acknowledge");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("{id}@{raised}", body.GetProperty("errors").GetProperty("occurrence")[0].GetString());
        (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/comments", new { text = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("text", out _));
        (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{occurrence}/close", new { resolution = "", maintenance_id = 999_999 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("resolution", out _));
        Assert.Contains("no maintenance action 999999", body.GetProperty("errors").GetProperty("maintenance_id")[0].GetString());
        // A well-formed key of an alert that was never raised (one nanosecond off) is unknown.
        var off = occurrence[..occurrence.IndexOf('@')] + "@" + (long.Parse(occurrence[(occurrence.IndexOf('@') + 1)..]) + 1);
        (status, body) = await SendAsync(_teacher, HttpMethod.Post, $"{Rig}/alerts/{off}/acknowledge");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(off, body.GetProperty("detail").GetString());

        await _api.WithStoreAsync(async (db, _) =>
        {
            Assert.Equal(0, await db.AlertCases.CountAsync());
            Assert.Equal(0, await db.AlertComments.CountAsync());
        });
        Assert.Equal("open", (await ListedAsync(_teacher, occurrence)).GetProperty("lifecycle").GetProperty("status").GetString());
    }
}
