using Fieldlab.Access.Accounts;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Store;

/// <summary>One throwaway PostgreSQL cluster for a test class; every test gets its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public LocalPostgres Server { get; private set; } = null!;

    /// <summary>Options of a new, empty database on the server.</summary>
    public async Task<MetadataStoreOptions> NewDatabaseAsync()
    {
        var name = "fieldlab_" + Guid.NewGuid().ToString("N")[..12];
        await Server.CreateDatabaseAsync(name);
        return new MetadataStoreOptions { Provider = "postgres", ConnectionString = Server.ConnectionString(name) };
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await LocalPostgres.StartNewAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>The metadata store on both providers: the checked-in migrations apply to an empty database and match the
/// model, and what is written comes back as written (times as UTC), through the queries the rights use.</summary>
public sealed class MetadataStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTime Now = new(2026, 9, 14, 10, 30, 15, 123, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<TestStore> OpenAsync(string provider) =>
        provider == "postgres" ? await TestStore.OpenAsync(await postgres.NewDatabaseAsync()) : await TestStore.SqliteAsync();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task MigrateAsync_FreshDatabase_AppliesEveryMigration(string provider)
    {
        await using var store = await OpenAsync(provider);
        await using var scope = store.Scope();
        Assert.IsType(provider == "postgres" ? typeof(PostgresMetadataDb) : typeof(SqliteMetadataDb), scope.Db);
        var all = scope.Db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all, await scope.Db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Empty(await scope.Db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(0, await scope.Db.Users.CountAsync(Ct));

        await MetadataStore.MigrateAsync(store.Options, Ct); // again: nothing to do, no error
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task HasPendingModelChanges_CheckedInMigrations_IsFalse(string provider)
    {
        await using var store = await OpenAsync(provider);
        await using var scope = store.Scope();
        Assert.False(scope.Db.Database.HasPendingModelChanges(),
            $"The {provider} model differs from its checked-in migrations: run dotnet ef migrations add … --context {scope.Db.GetType().Name}.");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RoundTrip_TenancyUsersTokens_ComeBackAsWrittenInUtc(string provider)
    {
        await using var store = await OpenAsync(provider);
        string annaId, studentId, tokenText;
        int classId;
        await using (var scope = store.Scope())
        {
            var db = scope.Db;
            await SiteRegistry.AddSiteAsync(db, "techport", "Techport", Now, Ct);
            await SiteRegistry.AddSiteAsync(db, "delft", null, Now, Ct);
            await SiteRegistry.AddRigAsync(db, "techport", "pump-1", "a pump", Now, Ct);
            await SiteRegistry.AddRigAsync(db, "techport", "motor-1", null, Now, Ct);
            await SiteRegistry.AddRigAsync(db, "delft", "pump-1", null, Now, Ct); // same rig id, other site
            await SiteRegistry.AddOrganisationAsync(db, "pilot-a", "Pilot A", Now, Ct);
            await SiteRegistry.EnsureServiceAsync(db, "ingest-1", ServiceKind.Ingest, Now, Ct);
            await PilotBook.CreateAsync(db, "pilot-a", "open", [new RigAddress("techport", "pump-1")], Now.AddDays(-1), null, true, Now, Ct);
            await PilotBook.CreateAsync(db, "pilot-a", "both", [new RigAddress("techport", "pump-1"), new RigAddress("techport", "motor-1")],
                Now.AddDays(-10), Now.AddDays(-5).AddMilliseconds(250), false, Now, Ct);
            var motor = await db.Rigs.SingleAsync(r => r.SiteId == "techport" && r.RigId == "motor-1", Ct);
            motor.TruthReleasedUntil = DateTime.MaxValue;
            var pump = await db.Rigs.SingleAsync(r => r.SiteId == "techport" && r.RigId == "pump-1", Ct);
            pump.TruthReleasedUntil = Now.AddHours(-2);
            await db.SaveChangesAsync(Ct);

            var anna = await UserAccounts.CreateAsync(scope.Users, db, new NewAccount("anna", Role.CompanyMember, null, "pilot-a", "anna-password-1", "Anna"), Now, Ct);
            var student = await UserAccounts.CreateAsync(scope.Users, db, new NewAccount("student", Role.Student, "techport", null, "student-password-1"), Now, Ct);
            var schoolClass = await ClassRoster.CreateAsync(db, "techport", "class-1", null, Now, Ct);
            await ClassRoster.AddMemberAsync(db, schoolClass, student, Ct);
            (_, tokenText) = await ApiTokens.CreateAsync(db, anna.Id, "jupyter", TimeSpan.FromDays(30), Now, Ct);
            await AuditLog.WriteAsync(db, new AuditEntry { Time = Now, Actor = "anna", ActorRole = "company member", Action = "token.create", Outcome = "ok" }, Ct);
            (annaId, studentId, classId) = (anna.Id, student.Id, schoolClass.Id);
        }

        await using (var scope = store.Scope())
        {
            var db = scope.Db;
            var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == "techport", Ct);
            AssertUtc(Now, site.CreatedAt, "site created");
            Assert.Equal("Techport", site.Name);
            Assert.Equal("delft", (await db.Sites.AsNoTracking().SingleAsync(s => s.Id == "delft", Ct)).Name);

            var pump = await RigFactsQuery.LoadAsync(db, new RigAddress("techport", "pump-1"), Ct);
            Assert.NotNull(pump);
            AssertUtc(Now.AddHours(-2), pump.TruthReleasedUntil!.Value, "pump truth release");
            Assert.Equal(["both", "open"], (await db.Pilots.AsNoTracking().Where(p => p.Rigs.Any(r => r.RigId == "pump-1" && r.SiteId == "techport")).Select(p => p.Name).ToListAsync(Ct)).Order());
            Assert.Equal(2, pump.Pilots.Count);
            var open = pump.Pilots.Single(p => p.Window.To is null);
            AssertUtc(Now.AddDays(-1), open.Window.From!.Value, "open pilot start");
            Assert.True(open.SharedWithInstructors);
            Assert.Equal("pilot-a", open.OrganisationId);
            var closed = pump.Pilots.Single(p => p.Window.To is not null);
            AssertUtc(Now.AddDays(-10), closed.Window.From!.Value, "closed pilot start");
            AssertUtc(Now.AddDays(-5).AddMilliseconds(250), closed.Window.To!.Value, "closed pilot end");

            var motor = await RigFactsQuery.LoadAsync(db, new RigAddress("techport", "motor-1"), Ct);
            Assert.NotNull(motor);
            Assert.Equal(DateTime.MaxValue, motor.TruthReleasedUntil);
            Assert.Equal([closed.PilotId], motor.Pilots.Select(p => p.PilotId));
            var delft = await RigFactsQuery.LoadAsync(db, new RigAddress("delft", "pump-1"), Ct);
            Assert.NotNull(delft);
            Assert.Empty(delft.Pilots);
            Assert.Null(await RigFactsQuery.LoadAsync(db, new RigAddress("techport", "nope"), Ct));

            var all = await RigFactsQuery.LoadAllAsync(db, null, Ct);
            Assert.Equal(["delft/pump-1", "techport/motor-1", "techport/pump-1"], all.Select(r => $"{r.SiteId}/{r.RigId}"));
            Assert.Equal([0, 1, 2], all.Select(r => r.Pilots.Count));
            Assert.Equal(2, (await RigFactsQuery.LoadAllAsync(db, "techport", Ct)).Count);

            // Times compared in the database, not in memory.
            Assert.Equal(1, await db.Pilots.CountAsync(p => p.End != null && p.End < Now, Ct));
            Assert.Equal(2, await db.Pilots.CountAsync(p => p.Start < Now.AddHours(-23), Ct));
            Assert.Equal(1, await db.Pilots.CountAsync(p => p.Start > Now.AddDays(-2), Ct));

            var anna = await scope.Users.FindByNameAsync("anna");
            Assert.NotNull(anna);
            Assert.Equal(annaId, anna.Id);
            Assert.Equal(Role.CompanyMember, anna.Role);
            Assert.Equal("pilot-a", anna.OrganisationId);
            Assert.Null(anna.SiteId);
            Assert.Equal("Anna", anna.DisplayName);
            AssertUtc(Now, anna.CreatedAt, "user created");
            Assert.True(await scope.Users.CheckPasswordAsync(anna, "anna-password-1"));
            Assert.False(await scope.Users.CheckPasswordAsync(anna, "anna-password-2"));

            var caller = await CallerQuery.LoadAsync(db, studentId, Ct);
            Assert.NotNull(caller);
            Assert.Equal(new[] { classId }, caller.ClassIds);
            Assert.Equal(("student", Role.Student, "techport"), (caller.UserName, caller.Role, caller.SiteId));

            var token = await db.ApiTokens.AsNoTracking().SingleAsync(Ct);
            AssertUtc(Now, token.CreatedAt, "token created");
            AssertUtc(Now.AddDays(30), token.ExpiresAt, "token expiry");
            Assert.Null(token.RevokedAt);
            Assert.Equal((annaId, (string?)null), await ApiTokens.VerifyAsync(db, tokenText, Now.AddDays(1), Ct));
            Assert.Equal(1, await db.ApiTokens.CountAsync(t => t.ExpiresAt > Now, Ct));

            var audit = await db.Audit.AsNoTracking().SingleAsync(Ct);
            AssertUtc(Now, audit.Time, "audit time");
            Assert.Equal(ServiceKind.Ingest, (await db.ServiceAccounts.AsNoTracking().SingleAsync(Ct)).Kind);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RoundTrip_LocalTime_IsStoredAsTheSameInstant(string provider)
    {
        await using var store = await OpenAsync(provider);
        var local = Now.ToLocalTime();
        await using (var scope = store.Scope()) await SiteRegistry.AddSiteAsync(scope.Db, "techport", null, local, Ct);
        await using (var scope = store.Scope()) AssertUtc(Now, (await scope.Db.Sites.SingleAsync(Ct)).CreatedAt, "site created from a local time");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DeleteAsync_UserWithTokensAndClasses_CascadesToBoth(string provider)
    {
        await using var store = await OpenAsync(provider);
        await using var scope = store.Scope();
        await SiteRegistry.AddSiteAsync(scope.Db, "techport", null, Now, Ct);
        var student = await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("student", Role.Student, "techport", null, "student-password-1"), Now, Ct);
        var schoolClass = await ClassRoster.CreateAsync(scope.Db, "techport", "class-1", null, Now, Ct);
        await ClassRoster.AddMemberAsync(scope.Db, schoolClass, student, Ct);
        await ApiTokens.CreateAsync(scope.Db, student.Id, "t", TimeSpan.FromDays(1), Now, Ct);

        Assert.True((await scope.Users.DeleteAsync(student)).Succeeded);

        Assert.Equal(0, await scope.Db.ApiTokens.CountAsync(Ct));
        Assert.Equal(0, await scope.Db.ClassMembers.CountAsync(Ct));
        Assert.Equal(1, await scope.Db.Classes.CountAsync(Ct));
    }

    [Theory]
    [InlineData("plain-password")]
    [InlineData("semi;colon=equals")]
    [InlineData("quote'and\"double")]
    public async Task PasswordFile_AnyPassword_Connects(string password)
    {
        var role = "fieldlab_" + Guid.NewGuid().ToString("N")[..8];
        var database = (await postgres.NewDatabaseAsync()).ConnectionString;
        await using (var admin = new Npgsql.NpgsqlConnection(postgres.Server.ConnectionString()))
        {
            await admin.OpenAsync(Ct);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", admin);
            await create.ExecuteNonQueryAsync(Ct);
        }
        using var directory = new Fieldlab.Testing.TempDirectory("fieldlab-pgpass");
        await File.WriteAllTextAsync(directory.File("password"), password + "\n", Ct);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database) { Username = role, Password = null };
        var options = new MetadataStoreOptions { Provider = "postgres", ConnectionString = builder.ConnectionString, PasswordFile = directory.File("password") };
        Assert.Empty(options.Validate());

        await MetadataStore.MigrateAsync(options, Ct);

        await using var db = MetadataStore.Open(options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    private static void AssertUtc(DateTime expected, DateTime actual, string what)
    {
        Assert.True(actual.Kind == DateTimeKind.Utc, $"{what}: Kind {actual.Kind}, expected Utc");
        Assert.True(expected == actual, $"{what}: {actual:O}, expected {expected:O}");
    }
}
