using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Api.Tests.Datasets;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Testing;

namespace Fieldlab.Api.Tests.Sandboxes;

/// <summary>Who a sandbox belongs to: the host site's instructors and the students of its class see its site and rigs
/// like teaching rigs; a student of another class and a company member get 404 as for any rig they may not see; bad
/// requests open nothing; when it expires, the reaper deletes its rig, site and points.</summary>
[Collection("servers")]
public sealed class SandboxesApiTests(ServersFixture servers)
{
    private static readonly DateTime T0 = new(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ASandbox_IsSeenByItsClassAndItsInstructors_NotByAnotherClassOrACompany_AndIsDeletedWhenItExpires()
    {
        using var datasets = new TempDirectory("sandboxes");
        var tenancy = new SmallTenancy();
        string writer = $"writer_{Guid.NewGuid():N}"[..20];
        // The reaper deletes points with a login that may (InfluxDB 1.x: WRITE); the API's own one only reads.
        var settings = new Dictionary<string, string?>
        {
            ["Datasets:Directory"] = datasets.Path, ["Sandboxes:ReapInterval"] = "00:00:01", ["Sandboxes:InfluxUsername"] = writer, ["Sandboxes:InfluxPassword"] = "w-" + writer,
        };
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, async (db, users) =>
        {
            await tenancy.SeedAsync(db, users);
            var now = DateTime.UtcNow;
            var pupil = await users.FindByNameAsync("pupil");
            var other = await UserAccounts.CreateAsync(users, db, new NewAccount("other", Role.Student, "lab", null, tenancy.Passwords["pupil"]), now, CancellationToken.None);
            var a = await ClassRoster.CreateAsync(db, "lab", "class-a", null, now, CancellationToken.None);
            var b = await ClassRoster.CreateAsync(db, "lab", "class-b", null, now, CancellationToken.None);
            await ClassRoster.AddMemberAsync(db, a, pupil!, CancellationToken.None);
            await ClassRoster.AddMemberAsync(db, b, other, CancellationToken.None);
            await db.SaveChangesAsync();
        }, settings: settings);
        await servers.Influx.CreateUserAsync(api.Database, writer, "w-" + writer, "WRITE");
        await RecordedRig.PrepareAsync(api, servers, T0, 50);
        using var teacher = api.Client(await api.TokenAsync("teacher"));
        using var frozen = await teacher.PostAsJsonAsync("/api/datasets", new { site = "lab", rigs = new[] { "rig-1" }, from = T0.ToString("O"), to = T0.AddSeconds(5).ToString("O") });
        string id = (await frozen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Bad requests open nothing.
        foreach (var bad in new object[] { new { speed = 0 }, new { speed = 101 }, new { speed = 10, hours = -1 }, new { speed = 10, @class = "class-z" } })
            Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PostAsJsonAsync($"/api/datasets/{id}/sandboxes", bad)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.PostAsJsonAsync("/api/datasets/ds-nope/sandboxes", new { speed = 10 })).StatusCode);
        Assert.Empty((await teacher.GetFromJsonAsync<JsonElement>("/api/sandboxes")).EnumerateArray());

        using var opened = await teacher.PostAsJsonAsync($"/api/datasets/{id}/sandboxes", new { speed = 10, @class = "class-a", hours = 0.002 }); // 7.2 s
        Assert.True(opened.StatusCode == HttpStatusCode.Created, await opened.Content.ReadAsStringAsync());
        string site = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("site").GetString()!;
        Assert.StartsWith("lab-", site);

        using var pupil = api.Client(await api.TokenAsync("pupil"));
        using var other = api.Client(await api.TokenAsync("other"));
        using var member = api.Client(await api.TokenAsync("member"));
        string rig = $"/api/sites/{site}/rigs/rig-1";
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync(rig)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pupil.GetAsync(rig)).StatusCode);
        Assert.Contains(site, await pupil.GetStringAsync("/api/sites"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(rig)).StatusCode);
        Assert.DoesNotContain(site, await other.GetStringAsync("/api/sites"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(rig)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pupil.GetAsync("/api/sandboxes")).StatusCode);

        // Points stored under the sandbox's site (as ingest would have) go with it when it expires.
        using (var admin = new InfluxClient(servers.Influx.ClientOptions(api.Database)))
            await admin.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"samples,rig=rig-1,site={site},stream=process flow=1 {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000}\n"), CancellationToken.None);
        await Eventually.HoldsAsync(async () => (await teacher.GetFromJsonAsync<JsonElement>("/api/sandboxes")).GetArrayLength() == 0, TimeSpan.FromSeconds(40),
            () => "the expired sandbox was not deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync(rig)).StatusCode);
        using var check = new InfluxClient(servers.Influx.ClientOptions(api.Database));
        Assert.Null((await check.QueryAsync(new InfluxQuery("SELECT count(*) FROM /.*/ WHERE site = $site").Bind("site", site), CancellationToken.None)).Single);
        foreach (var f in Directory.EnumerateFiles(datasets.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
    }
}
