using System.Text.RegularExpressions;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Lifecycle;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Lifecycle;

/// <summary><see cref="AccountErasure.EraseAsync"/> on a SQLite store seeded with the demo tenancy: the account, its tokens, class memberships and broker principal go; the audit log and the erasure register name it only by a stable pseudonym; the last administrator and unknown users are refused.</summary>
public sealed partial class AccountErasureTests(DemoStoreFixture demo) : IClassFixture<DemoStoreFixture>, IAsyncLifetime
{
    private static readonly DateTime Now = DemoStoreFixture.Seeded.AddDays(60);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Requester = "operator (test)";
    private const string QuotingDetail = "{\"invitation\":\"fli_x\",\"user\":\"student\",\"class\":\"class-1\"}";
    private const string OtherDetail = "{\"note\":\"students of class-1\",\"user\":\"anna\"}";
    private static readonly BrokerAccessPlan Plan = new(new MqttPasswords([.. Enumerable.Range(1, 32).Select(i => (byte)i)]), new RigPolicy(RightsTable.Current));
    private TestStore _store = null!;

    [GeneratedRegex("^erased:[0-9a-f]{12}$")]
    private static partial Regex PseudonymPattern();

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await demo.CopyAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<string> EraseAsync(string userName)
    {
        await using var scope = _store.Scope();
        return await AccountErasure.EraseAsync(scope.Db, userName, Requester, Now, Ct);
    }

    private async Task<string> IdOfAsync(string userName)
    {
        await using var scope = _store.Scope();
        return (await scope.Users.FindByNameAsync(userName))!.Id;
    }

    private static AuditEntry Entry(DateTime time, string actor, string action, string? target = null, string? detail = null) =>
        new() { Time = time, Actor = actor, ActorRole = "x", Action = action, SiteId = "techport", Target = target, Detail = detail, Outcome = "ok" };

    // What the student did, what was done to it, a detail quoting its name, and entries that have nothing to do with it.
    private async Task WriteAuditAsync(DateTime time)
    {
        await using var scope = _store.Scope();
        await AuditLog.WriteAsync(scope.Db, Entry(time, "student", "fault.command", detail: "{\"fault\":\"bearing-outer\"}"), Ct);
        await AuditLog.WriteAsync(scope.Db, Entry(time, "docent", "user.unlock", target: "student"), Ct);
        await AuditLog.WriteAsync(scope.Db, Entry(time, "docent", "class.invitation.accepted", detail: QuotingDetail), Ct);
        await AuditLog.WriteAsync(scope.Db, Entry(time, "docent", "user.unlock", target: "anna", detail: OtherDetail), Ct);
    }

    [Fact]
    public async Task EraseAsync_Student_RemovesItsSubmissions_RowsAndFiles_AndKeepsAClassmates()
    {
        var id = await IdOfAsync("student");
        var docent = await IdOfAsync("docent");
        using var root = new Fieldlab.Testing.TempDirectory("erasure-submissions");
        int assignment;
        var files = new List<string>();
        await using (var scope = _store.Scope())
        {
            var schoolClass = await scope.Db.Classes.FirstAsync(c => c.Name == "class-1", Ct);
            var a = new Assignment { ClassId = schoolClass.Id, SiteId = schoolClass.SiteId, Title = "t", DatasetId = "ds-x", DatasetVersion = 1, Task = "detection", CreatedBy = "docent", CreatedAt = Now, Deadline = Now.AddDays(1) };
            scope.Db.Assignments.Add(a);
            await scope.Db.SaveChangesAsync(Ct);
            assignment = a.Id;
            foreach (var user in new[] { id, id, docent })
            {
                var s = new Submission { AssignmentId = a.Id, UserId = user, SubmittedAt = Now, Sha256 = new string('0', 64) };
                scope.Db.Submissions.Add(s);
                await scope.Db.SaveChangesAsync(Ct);
                var path = Fieldlab.Datasets.Assignments.SubmissionFiles.PathOf(root.Path, a.Id, s.Id);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, "rig,time,anomaly\n", Ct);
                files.Add(path);
            }
        }

        await using (var scope = _store.Scope())
            await AccountErasure.EraseAsync(scope.Db, "student", Requester, Now, Ct, root.Path);

        await using var check = _store.Scope();
        Assert.False(await check.Db.Submissions.AnyAsync(s => s.UserId == id, Ct));
        Assert.Equal(1, await check.Db.Submissions.CountAsync(s => s.AssignmentId == assignment, Ct));
        Assert.False(File.Exists(files[0]));
        Assert.False(File.Exists(files[1]));
        Assert.True(File.Exists(files[2]));
    }

    [Fact]
    public async Task EraseAsync_Student_RemovesTheAccountItsTokensAndClassMemberships()
    {
        var id = await IdOfAsync("student");
        var docent = await IdOfAsync("docent");
        await using (var scope = _store.Scope())
        {
            await ApiTokens.CreateAsync(scope.Db, id, "jupyter", TimeSpan.FromDays(30), Now, Ct);
            await ApiTokens.CreateAsync(scope.Db, id, "script", TimeSpan.FromDays(30), Now, Ct);
            await ApiTokens.CreateAsync(scope.Db, docent, "docent's", TimeSpan.FromDays(30), Now, Ct);
            Assert.Equal(2, await scope.Db.ApiTokens.CountAsync(t => t.UserId == id, Ct));
            Assert.True(await scope.Db.ClassMembers.AnyAsync(m => m.UserId == id, Ct));
        }

        await EraseAsync("student");

        await using var check = _store.Scope();
        Assert.Null(await check.Users.FindByNameAsync("student"));
        Assert.False(await check.Db.Users.AnyAsync(u => u.Id == id, Ct));
        Assert.False(await check.Db.ApiTokens.AnyAsync(t => t.UserId == id, Ct));
        Assert.False(await check.Db.ClassMembers.AnyAsync(m => m.UserId == id, Ct));
        Assert.Equal(1, await check.Db.ApiTokens.CountAsync(t => t.UserId == docent, Ct));
        Assert.True(await check.Db.Classes.AnyAsync(c => c.Name == "class-1", Ct), "the class went with its member");
        Assert.NotNull(await check.Users.FindByNameAsync("docent"));
    }

    [Fact]
    public async Task EraseAsync_Student_LeavesTheBrokerPlanWithoutIt()
    {
        await using (var scope = _store.Scope())
            Assert.Contains("student", (await Plan.BuildAsync(scope.Db, Now, Ct)).Principals.Select(p => p.Username));

        await EraseAsync("student");

        await using var check = _store.Scope();
        var names = (await Plan.BuildAsync(check.Db, Now, Ct)).Principals.Select(p => p.Username).ToList();
        Assert.DoesNotContain("student", names);
        Assert.Contains("docent", names);
    }

    [Fact]
    public async Task EraseAsync_Student_PseudonymisesTheAuditLog()
    {
        var id = await IdOfAsync("student");
        await WriteAuditAsync(Now.AddDays(-1));

        var pseudonym = await EraseAsync("student");

        Assert.Matches(PseudonymPattern(), pseudonym);
        Assert.Equal(AccountErasure.Pseudonym("student", id), pseudonym);
        await using var check = _store.Scope();
        var entries = await check.Db.Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(4, entries.Count);
        Assert.DoesNotContain(entries, a => a.Actor == "student" || a.Target == "student");
        Assert.DoesNotContain(entries, a => (a.Detail ?? "").Contains("\"student\"", StringComparison.Ordinal));
        Assert.Equal((pseudonym, "fault.command"), (entries[0].Actor, entries[0].Action));
        Assert.Equal("{\"fault\":\"bearing-outer\"}", entries[0].Detail);
        Assert.Equal(("docent", pseudonym), (entries[1].Actor, entries[1].Target));
        Assert.Equal("(erased)", entries[2].Detail);
        Assert.Equal(("docent", "anna", OtherDetail), (entries[3].Actor, entries[3].Target, entries[3].Detail));
    }

    [Fact]
    public async Task EraseAsync_Student_RegistersTheErasureUnderThePseudonymOnly()
    {
        var pseudonym = await EraseAsync("student");

        await using var check = _store.Scope();
        var record = Assert.Single(await check.Db.Erasures.AsNoTracking().ToListAsync(Ct));
        Assert.Equal("user", record.Kind);
        Assert.Equal(Now, record.Time);
        Assert.Equal(Requester, record.Requester);
        Assert.Contains(pseudonym, record.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("student", record.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Null(record.SiteId);
        Assert.Null(record.From);
    }

    [Fact]
    public void Pseudonym_IsStable_AndDoesNotContainTheName()
    {
        const string Id = "5d0c8e7a-1f1e-4a51-9d7e-3c2f6f0b9a11";

        var first = AccountErasure.Pseudonym("student", Id);

        Assert.Equal(first, AccountErasure.Pseudonym("student", Id));
        Assert.Matches(PseudonymPattern(), first);
        Assert.DoesNotContain("student", first, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(first, AccountErasure.Pseudonym("student", "another-id"));
        Assert.NotEqual(first, AccountErasure.Pseudonym("studenT", Id));
    }

    [Fact]
    public async Task EraseAsync_LastAdministrator_IsRefusedAsConflict()
    {
        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync("admin"));

        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        await using var check = _store.Scope();
        Assert.NotNull(await check.Users.FindByNameAsync("admin"));
        Assert.False(await check.Db.Erasures.AnyAsync(Ct));
    }

    [Fact]
    public async Task EraseAsync_AdministratorWithAnotherAdministrator_IsErased()
    {
        await using (var scope = _store.Scope())
            await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("admin2", Role.Administrator, null, null, "second-admin-password-1"), Now, Ct);

        await EraseAsync("admin");

        await using var check = _store.Scope();
        Assert.Null(await check.Users.FindByNameAsync("admin"));
        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync("admin2"));
        Assert.Equal(TenancyProblem.Conflict, e.Kind);
    }

    [Fact]
    public async Task EraseAsync_UnknownUser_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync("nobody"));

        Assert.Equal(TenancyProblem.NotFound, e.Kind);
        await using var check = _store.Scope();
        Assert.Equal(5, await check.Db.Users.CountAsync(Ct));
        Assert.False(await check.Db.Erasures.AnyAsync(Ct));
    }

    [Fact]
    public async Task PruneAsync_AfterAnErasure_RemovesTheOldPseudonymisedEntries_AndKeepsTheRecentOnes()
    {
        await WriteAuditAsync(Now.AddDays(-400));
        await WriteAuditAsync(Now.AddDays(-10));
        var pseudonym = await EraseAsync("student");

        int pruned;
        await using (var scope = _store.Scope()) pruned = await AuditLog.PruneAsync(scope.Db, TimeSpan.FromDays(365), Now, Ct);

        Assert.Equal(4, pruned);
        await using var check = _store.Scope();
        var entries = await check.Db.Audit.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(4, entries.Count);
        Assert.All(entries, a => Assert.Equal(Now.AddDays(-10), a.Time));
        Assert.Single(entries, a => a.Actor == pseudonym);
        Assert.Single(entries, a => a.Target == pseudonym);
        Assert.Single(await check.Db.Erasures.AsNoTracking().ToListAsync(Ct));
    }
}

/// <summary><see cref="AccountErasure.EraseAsync"/> and <see cref="PilotErasure.DisposeAsync"/>'s anonymising on PostgreSQL (the store of a real deployment), where the bulk updates and the transaction run as Npgsql translates them.</summary>
public sealed class ErasurePostgresTests(Fieldlab.Access.Tests.Store.PostgresFixture postgres) : IClassFixture<Fieldlab.Access.Tests.Store.PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTime Now = DemoStoreFixture.Seeded.AddDays(30);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TestStore _store = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.OpenAsync(await postgres.NewDatabaseAsync());
        await using var scope = _store.Scope();
        await Fieldlab.Access.Demo.DemoTenancy.SeedIfEmptyAsync(scope.Db, scope.Users, DemoStoreFixture.Seeded, Ct);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task EraseAsync_Student_OnPostgres_RemovesItAndPseudonymisesTheAuditLog()
    {
        string id;
        await using (var scope = _store.Scope())
        {
            id = (await scope.Users.FindByNameAsync("student"))!.Id;
            await ApiTokens.CreateAsync(scope.Db, id, "jupyter", TimeSpan.FromDays(30), Now, Ct);
            scope.Db.Audit.Add(new AuditEntry { Time = Now, Actor = "student", ActorRole = "Student", Action = "fault.command", Outcome = "ok" });
            scope.Db.Audit.Add(new AuditEntry { Time = Now, Actor = "docent", ActorRole = "Instructor", Action = "user.unlock", Target = "student", Outcome = "ok" });
            scope.Db.Audit.Add(new AuditEntry { Time = Now, Actor = "docent", ActorRole = "Instructor", Action = "class.add", Detail = "{\"user\":\"student\"}", Outcome = "ok" });
            scope.Db.Audit.Add(new AuditEntry { Time = Now, Actor = "docent", ActorRole = "Instructor", Action = "class.add", Detail = "{\"user\":\"students\"}", Outcome = "ok" });
            await scope.Db.SaveChangesAsync(Ct);
        }

        string pseudonym;
        await using (var scope = _store.Scope()) pseudonym = await AccountErasure.EraseAsync(scope.Db, "student", "operator (test)", Now, Ct);

        Assert.Equal(AccountErasure.Pseudonym("student", id), pseudonym);
        await using var check = _store.Scope();
        Assert.False(await check.Db.Users.AnyAsync(u => u.Id == id, Ct));
        Assert.False(await check.Db.ApiTokens.AnyAsync(t => t.UserId == id, Ct));
        Assert.False(await check.Db.ClassMembers.AnyAsync(m => m.UserId == id, Ct));
        var entries = await check.Db.Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal([pseudonym, "docent", "docent", "docent"], entries.Select(a => a.Actor));
        Assert.Equal(pseudonym, entries[1].Target);
        Assert.Equal("(erased)", entries[2].Detail);
        Assert.Equal("{\"user\":\"students\"}", entries[3].Detail);
        Assert.Equal("user", Assert.Single(await check.Db.Erasures.AsNoTracking().ToListAsync(Ct)).Kind);
    }

    [Fact]
    public async Task DisposeAsync_Anonymise_OnPostgres_ReplacesTheDetails_AndDeletesThePilot()
    {
        int pilot;
        await using (var scope = _store.Scope())
        {
            pilot = (await PilotBook.CreateAsync(scope.Db, "pilot-a", null, [new Fieldlab.Telemetry.Wire.RigAddress("techport", "motor-1")], Now.AddDays(-5), Now.AddDays(-1), false, Now, Ct)).Id;
            scope.Db.Audit.Add(new AuditEntry { Time = Now, Actor = "admin", ActorRole = "Administrator", Action = "pilot.create", Target = $"pilot:{pilot}", Detail = "{\"organisation\":\"pilot-a\"}", Outcome = "ok" });
            await scope.Db.SaveChangesAsync(Ct);
        }
        // Anonymising touches no point; the client is never called (its server does not exist).
        using var influx = new Fieldlab.Telemetry.Influx.InfluxClient(new Fieldlab.Telemetry.Influx.InfluxOptions { Url = "http://127.0.0.1:9", Database = "unused", MaxRetries = 0 });

        await using (var scope = _store.Scope())
            Assert.Equal(1, await PilotErasure.DisposeAsync(scope.Db, influx, pilot, PilotDataDisposal.Anonymise, "operator (test)", Now, Ct));

        await using var check = _store.Scope();
        Assert.False(await check.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
        Assert.Equal("(anonymised)", (await check.Db.Audit.AsNoTracking().SingleAsync(a => a.Target == $"pilot:{pilot}", Ct)).Detail);
        Assert.Equal("pilot-anonymised", Assert.Single(await check.Db.Erasures.AsNoTracking().ToListAsync(Ct)).Kind);
        Assert.Equal(2, await check.Db.Pilots.CountAsync(Ct)); // the demo's two
    }
}
