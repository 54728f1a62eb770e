using System.Data.Common;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Access.Tests.Tenancy;

/// <summary>Invitation codes on a SQLite store: accepting one makes a student of the class's site in the class; codes
/// run out and expire; every bad code gets the same answer; a refused account costs no use and leaves nothing behind.</summary>
public sealed class ClassRosterTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 10, 5, 9, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Void = "the invitation code is not valid (mistyped, used up or expired)";
    private TestStore _store = null!;
    private int _classId;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.SqliteAsync();
        await using var scope = _store.Scope();
        await SiteRegistry.AddSiteAsync(scope.Db, "techport", null, Now, Ct);
        await SiteRegistry.AddSiteAsync(scope.Db, "delft", null, Now, Ct);
        await ClassRoster.CreateAsync(scope.Db, "techport", "class-1", null, Now, Ct);
        _classId = (await ClassRoster.CreateAsync(scope.Db, "delft", "class-1", null, Now, Ct)).Id;
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<string> InviteAsync(int uses = 5, TimeSpan? lifetime = null)
    {
        await using var scope = _store.Scope();
        var schoolClass = await ClassRoster.FindAsync(scope.Db, "delft", "class-1", Ct);
        var (_, code) = await ClassRoster.InviteAsync(scope.Db, schoolClass, uses, lifetime ?? TimeSpan.FromDays(7), null, Now, Ct);
        Assert.StartsWith(ClassRoster.InvitationPrefix + "_", code, StringComparison.Ordinal);
        return code;
    }

    private async Task<FieldlabUser> AcceptAsync(string code, string userName, DateTime? at = null, string password = "student-password-1")
    {
        await using var scope = _store.Scope();
        return await ClassRoster.AcceptAsync(scope.Users, scope.Db, code, userName, password, null, at ?? Now.AddHours(1), Ct);
    }

    private async Task<TenancyException> RefusedAsync(string code, string userName, DateTime? at = null, string password = "student-password-1")
    {
        var e = await Assert.ThrowsAsync<TenancyException>(() => AcceptAsync(code, userName, at, password));
        return e;
    }

    private async Task<int> UsesLeftAsync()
    {
        await using var scope = _store.Scope();
        return await scope.Db.Invitations.Select(i => i.UsesLeft).SingleAsync(Ct);
    }

    [Fact]
    public async Task AcceptAsync_ValidCode_MakesAStudentOfTheClassesSiteInTheClass()
    {
        var code = await InviteAsync(uses: 3);
        var user = await AcceptAsync(code, "sam");

        await using var scope = _store.Scope();
        var stored = await scope.Users.FindByNameAsync("sam");
        Assert.NotNull(stored);
        Assert.Equal(user.Id, stored.Id);
        Assert.Equal(Role.Student, stored.Role);
        Assert.Equal("delft", stored.SiteId);
        Assert.Null(stored.OrganisationId);
        Assert.True(await scope.Users.CheckPasswordAsync(stored, "student-password-1"));
        Assert.Equal([_classId], await scope.Db.ClassMembers.Where(m => m.UserId == user.Id).Select(m => m.ClassId).ToListAsync(Ct));
        Assert.Equal(2, await UsesLeftAsync());
        var caller = await CallerQuery.LoadAsync(scope.Db, user.Id, Ct);
        Assert.Equal([_classId], caller!.ClassIds);
    }

    [Fact]
    public async Task AcceptAsync_UsesRunOut()
    {
        var code = await InviteAsync(uses: 2);
        await AcceptAsync(code, "sam");
        await AcceptAsync(code, "kim");
        Assert.Equal(0, await UsesLeftAsync());

        var e = await RefusedAsync(code, "lee");

        Assert.Equal(Void, e.Message);
        Assert.Equal("code", e.Field);
        await using var scope = _store.Scope();
        Assert.Null(await scope.Users.FindByNameAsync("lee"));
        Assert.Equal(2, await scope.Db.ClassMembers.CountAsync(Ct));
    }

    [Fact]
    public async Task AcceptAsync_Expired_Fails()
    {
        var code = await InviteAsync(lifetime: TimeSpan.FromDays(1));
        Assert.Equal(Void, (await RefusedAsync(code, "sam", at: Now.AddDays(1))).Message);
        Assert.Equal(Void, (await RefusedAsync(code, "sam", at: Now.AddDays(30))).Message);
        await AcceptAsync(code, "sam", at: Now.AddDays(1).AddSeconds(-1)); // just before
    }

    [Fact]
    public async Task AcceptAsync_TamperedCode_FailsLikeAnUnknownOne()
    {
        var code = await InviteAsync();
        var random = new Random(3);
        var messages = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 20; i++)
        {
            var chars = code.ToCharArray();
            int at = random.Next(4 + 12 + 1, code.Length); // in the secret
            chars[at] = chars[at] == 'A' ? 'B' : 'A';
            messages.Add((await RefusedAsync(new string(chars), $"sam{i}")).Message);
        }
        var unknownId = "fli_" + new string(code.Substring(4, 12).Select(c => c == 'a' ? 'b' : 'a').ToArray()) + code[16..];
        messages.Add((await RefusedAsync(unknownId, "sam")).Message);
        messages.Add((await RefusedAsync("not a code at all", "sam")).Message);
        messages.Add((await RefusedAsync(code.Replace("fli_", "flt_", StringComparison.Ordinal), "sam")).Message);

        Assert.Equal([Void], messages);
        Assert.Equal(5, await UsesLeftAsync());
        await AcceptAsync(code, "sam"); // the real code still works
    }

    [Fact]
    public async Task AcceptAsync_RefusedAccount_CostsNoUseAndLeavesNothing()
    {
        var code = await InviteAsync(uses: 1);
        Assert.Equal("user_name", (await RefusedAsync(code, "Sam.Smith")).Field);
        Assert.Equal("password", (await RefusedAsync(code, "sam", password: "short")).Field);
        Assert.Equal(1, await UsesLeftAsync());
        await using (var scope = _store.Scope()) Assert.Equal(0, await scope.Db.Users.CountAsync(Ct));

        await AcceptAsync(code, "sam");
        Assert.Equal(0, await UsesLeftAsync());
    }

    [Fact]
    public async Task AcceptAsync_ExistingName_IsAConflictAndCostsNoUse()
    {
        var code = await InviteAsync(uses: 3);
        await AcceptAsync(code, "sam");
        var e = await RefusedAsync(code, "sam");
        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        Assert.Equal(2, await UsesLeftAsync());
    }

    [Fact]
    public async Task AcceptAsync_Concurrently_NeverMakesMoreAccountsThanTheCodeHasUses()
    {
        // The interleaving that matters, made certain: every accept has read the invitation before any goes on
        // (a command interceptor holds each reader of the Invitations table until all have arrived, or 5 s passed).
        const int Attempts = 3;
        var rendezvous = new InvitationReadRendezvous(Attempts);
        await using var store = await TestStore.SqliteAsync((services, options) => services.AddScoped<MetadataDb>(_ =>
            new SqliteMetadataDb(new DbContextOptionsBuilder<SqliteMetadataDb>().UseSqlite(options.ConnectionString).AddInterceptors(rendezvous).Options)));
        string code;
        await using (var scope = store.Scope())
        {
            await SiteRegistry.AddSiteAsync(scope.Db, "delft", null, Now, Ct);
            var schoolClass = await ClassRoster.CreateAsync(scope.Db, "delft", "class-1", null, Now, Ct);
            (_, code) = await ClassRoster.InviteAsync(scope.Db, schoolClass, 1, TimeSpan.FromDays(1), null, Now, Ct);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(i => Task.Run(async () =>
        {
            await using var scope = store.Scope();
            try
            {
                await ClassRoster.AcceptAsync(scope.Users, scope.Db, code, $"sam{i}", "student-password-1", null, Now, Ct);
                return true;
            }
            catch (TenancyException)
            {
                return false;
            }
        })));

        await using var check = store.Scope();
        int made = await check.Db.Users.CountAsync(Ct);
        Assert.True(outcomes.Count(ok => ok) == 1 && made == 1,
            $"a code for one account made {made} accounts ({outcomes.Count(ok => ok)} of {Attempts} concurrent accepts succeeded; {rendezvous.Arrived} read the invitation together)");
        Assert.Equal(0, await check.Db.Invitations.Select(i => i.UsesLeft).SingleAsync(Ct));
    }

    /// <summary>Holds every command that reads the Invitations table until <paramref name="participants"/> have (or 5 s passed).</summary>
    private sealed class InvitationReadRendezvous(int participants) : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public int Arrived => Volatile.Read(ref _arrived);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            if (!_all.Task.IsCompleted && command.CommandText.Contains("FROM \"Invitations\"", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref _arrived) >= participants) _all.TrySetResult();
                try
                {
                    await _all.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Not all of them read it this way: go on.
                }
            }
            return result;
        }
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(501, 7)]
    [InlineData(5, 0)]
    [InlineData(5, 91)]
    public async Task InviteAsync_OutOfRange_IsRefused(int uses, int days)
    {
        await using var scope = _store.Scope();
        var schoolClass = await ClassRoster.FindAsync(scope.Db, "delft", "class-1", Ct);
        await Assert.ThrowsAsync<TenancyException>(() => ClassRoster.InviteAsync(scope.Db, schoolClass, uses, TimeSpan.FromDays(days), null, Now, Ct));
        Assert.Equal(0, await scope.Db.Invitations.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_SameNameAtTheSameSite_IsAConflict()
    {
        await using var scope = _store.Scope();
        var e = await Assert.ThrowsAsync<TenancyException>(() => ClassRoster.CreateAsync(scope.Db, "delft", "class-1", null, Now, Ct));
        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        Assert.Equal(TenancyProblem.NotFound, (await Assert.ThrowsAsync<TenancyException>(() => ClassRoster.CreateAsync(scope.Db, "nowhere", "class-2", null, Now, Ct))).Kind);
    }

    [Fact]
    public async Task AddMemberAsync_StudentOfAnotherSite_IsRefused()
    {
        await using var scope = _store.Scope();
        var other = await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("tom", Role.Student, "techport", null, null), Now, Ct);
        var instructor = await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("ina", Role.Instructor, "delft", null, null), Now, Ct);
        var schoolClass = await ClassRoster.FindAsync(scope.Db, "delft", "class-1", Ct);
        await Assert.ThrowsAsync<TenancyException>(() => ClassRoster.AddMemberAsync(scope.Db, schoolClass, other, Ct));
        await Assert.ThrowsAsync<TenancyException>(() => ClassRoster.AddMemberAsync(scope.Db, schoolClass, instructor, Ct));
        Assert.Equal(0, await scope.Db.ClassMembers.CountAsync(Ct));
    }
}
