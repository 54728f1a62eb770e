using Fieldlab.Access.Demo;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Demo;

/// <summary><see cref="DemoTenancy.SeedIfEmptyAsync"/> on an empty SQLite store: the five demo users with distinct
/// generated passwords that sign in, the demo site, rigs, pilots, class and services; and a second seeding does nothing.</summary>
public sealed class DemoTenancyTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 2, 7, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] Users = ["admin", "docent", "student", "anna", "bart"];
    private TestStore _store = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await TestStore.SqliteAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<IReadOnlyDictionary<string, string>> SeedAsync(DateTime now)
    {
        await using var scope = _store.Scope();
        return await DemoTenancy.SeedIfEmptyAsync(scope.Db, scope.Users, now, Ct);
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyStore_MakesTheFiveUsersWithWorkingDistinctPasswords()
    {
        var passwords = await SeedAsync(Now);

        Assert.Equal(Users.Order(StringComparer.Ordinal), passwords.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(5, passwords.Values.Distinct().Count());
        Assert.All(passwords.Values, p => Assert.True(p.Length >= 20, $"generated password '{p}' is short"));
        await using var scope = _store.Scope();
        foreach (var name in Users)
        {
            var user = await scope.Users.FindByNameAsync(name);
            Assert.NotNull(user);
            Assert.True(await scope.Users.CheckPasswordAsync(user, passwords[name]), $"{name}'s generated password does not sign in");
            foreach (var other in Users.Where(o => o != name))
                Assert.False(await scope.Users.CheckPasswordAsync(user, passwords[other]), $"{name} signs in with {other}'s password");
        }
    }

    [Fact]
    public async Task SeedIfEmptyAsync_EmptyStore_MakesTheDocumentedTenancy()
    {
        await SeedAsync(Now);
        await using var scope = _store.Scope();
        var db = scope.Db;
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!, Ct);
        Assert.Equal((Role.Administrator, (string?)null, (string?)null), (users["admin"].Role, users["admin"].SiteId, users["admin"].OrganisationId));
        Assert.Equal((Role.Instructor, (string?)DemoTenancy.Site, (string?)null), (users["docent"].Role, users["docent"].SiteId, users["docent"].OrganisationId));
        Assert.Equal((Role.Student, (string?)DemoTenancy.Site, (string?)null), (users["student"].Role, users["student"].SiteId, users["student"].OrganisationId));
        Assert.Equal((Role.CompanyMember, (string?)null, (string?)"pilot-a"), (users["anna"].Role, users["anna"].SiteId, users["anna"].OrganisationId));
        Assert.Equal((Role.CompanyMember, (string?)null, (string?)"pilot-b"), (users["bart"].Role, users["bart"].SiteId, users["bart"].OrganisationId));

        Assert.Equal([DemoTenancy.Site], await db.Sites.Select(s => s.Id).ToListAsync(Ct));
        Assert.Equal(DemoTenancy.Rigs.Select(r => r.Rig).Order(StringComparer.Ordinal), (await db.Rigs.Select(r => r.RigId).ToListAsync(Ct)).Order(StringComparer.Ordinal));
        var pilots = await db.Pilots.AsNoTracking().Include(p => p.Rigs).ToListAsync(Ct);
        Assert.Equal(["pilot-a:pump-1", "pilot-b:electrolyser-1"], pilots.Select(p => $"{p.OrganisationId}:{string.Join(',', p.Rigs.Select(r => r.RigId))}").Order(StringComparer.Ordinal));
        Assert.All(pilots, p => Assert.True(p.Start == Now && p.End is null && !p.SharedWithInstructors, $"pilot {p.Name}: {p.Start:O}–{p.End:O}, shared {p.SharedWithInstructors}"));
        Assert.Equal(["api-1:Api", "ingest-1:Ingest"], (await db.ServiceAccounts.ToListAsync(Ct)).Select(s => $"{s.Name}:{s.Kind}").Order(StringComparer.Ordinal));

        var schoolClass = await db.Classes.Include(c => c.Members).SingleAsync(Ct);
        Assert.Equal(("class-1", DemoTenancy.Site, (string?)users["docent"].Id), (schoolClass.Name, schoolClass.SiteId, schoolClass.CreatedBy));
        Assert.Equal([users["student"].Id], schoolClass.Members.Select(m => m.UserId));

        var student = await CallerQuery.LoadAsync(db, users["student"].Id, Ct);
        var pump = await RigFactsQuery.LoadAsync(db, new Fieldlab.Telemetry.Wire.RigAddress(DemoTenancy.Site, "pump-1"), Ct);
        var motor = await RigFactsQuery.LoadAsync(db, new Fieldlab.Telemetry.Wire.RigAddress(DemoTenancy.Site, "motor-1"), Ct);
        var policy = new RigPolicy(RightsTable.Current);
        Assert.False(policy.Evaluate(student, pump!, Now.AddMinutes(1)).Data.Contains(Now.AddMinutes(1)), "pump-1 is pilot-a's from the moment of seeding");
        Assert.True(policy.Evaluate(student, motor!, Now.AddMinutes(1)).Data.Contains(Now.AddMinutes(1)), "motor-1 is a teaching rig");
    }

    [Fact]
    public async Task SeedIfEmptyAsync_Again_DoesNothing()
    {
        var first = await SeedAsync(Now);
        string adminHash;
        await using (var scope = _store.Scope()) adminHash = (await scope.Users.FindByNameAsync("admin"))!.PasswordHash!;

        var second = await SeedAsync(Now.AddDays(1));

        Assert.Empty(second);
        await using var check = _store.Scope();
        Assert.Equal(5, await check.Db.Users.CountAsync(Ct));
        Assert.Equal(1, await check.Db.Sites.CountAsync(Ct));
        Assert.Equal(4, await check.Db.Rigs.CountAsync(Ct));
        Assert.Equal(2, await check.Db.Pilots.CountAsync(Ct));
        Assert.Equal(1, await check.Db.Classes.CountAsync(Ct));
        Assert.Equal(2, await check.Db.ServiceAccounts.CountAsync(Ct));
        var admin = (await check.Users.FindByNameAsync("admin"))!;
        Assert.Equal(adminHash, admin.PasswordHash);
        Assert.True(await check.Users.CheckPasswordAsync(admin, first["admin"]));
    }

    [Fact]
    public async Task SeedIfEmptyAsync_TwoStores_GetDifferentPasswords()
    {
        var first = await SeedAsync(Now);
        await using var other = await TestStore.SqliteAsync();
        await using var scope = other.Scope();
        var second = await DemoTenancy.SeedIfEmptyAsync(scope.Db, scope.Users, Now, Ct);
        Assert.All(Users, name => Assert.NotEqual(first[name], second[name]));
    }
}
