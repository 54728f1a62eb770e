using Fieldlab.Access.Lifecycle;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Access.Tests.Database;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Lifecycle;

/// <summary>Erasures reach what people did about alerts and the maintenance log: a pilot's <c>Delete</c> removes the
/// alert cases (with comments) and maintenance actions of its window and nothing outside it; <c>Anonymise</c> keeps
/// them without people and free text; an account's erasure leaves a pseudonym where its name was and clears its
/// assignments and notification settings.</summary>
public sealed class AlertAndMaintenanceErasureTests(InfluxFixture influx) : IClassFixture<InfluxFixture>, IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Start = Now.AddDays(-3);
    private static readonly DateTime End = Now.AddDays(-1);
    private static readonly RigAddress Rig = new("lab", "pump-1");
    private TestStore _store = null!;
    private InfluxClient _influx = null!;
    private string _workerId = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.SqliteAsync();
        await using var scope = _store.Scope();
        await SiteRegistry.AddSiteAsync(scope.Db, Rig.Site, null, Now.AddDays(-10), Ct);
        await SiteRegistry.AddRigAsync(scope.Db, Rig.Site, Rig.Rig, null, Now.AddDays(-10), Ct);
        await SiteRegistry.AddOrganisationAsync(scope.Db, "acme", null, Now.AddDays(-10), Ct);
        var worker = await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("worker", Fieldlab.Access.Rights.Role.CompanyMember, null, "acme", "a long enough password"), Now.AddDays(-10), Ct);
        _workerId = worker.Id;
        await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("root", Fieldlab.Access.Rights.Role.Administrator, null, null, "a long enough password"), Now.AddDays(-10), Ct);
        _influx = new InfluxClient(influx.Server.ClientOptions());
        await InfluxDatabaseSetup.EnsureAsync(_influx, TimeSpan.FromDays(7), Ct);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _influx?.Dispose();
        if (_store is not null) await _store.DisposeAsync();
    }

    // A case with a comment and a maintenance action before, inside and after the window, all by the worker.
    private async Task<int> SeedAsync()
    {
        await using var scope = _store.Scope();
        var pilot = await PilotBook.CreateAsync(scope.Db, "acme", "pilot", [Rig], Start, End, false, Start, Ct);
        foreach (var (mark, t) in new[] { ("before", Start.AddHours(-1)), ("inside", Start.AddHours(1)), ("after", End.AddHours(1)) })
        {
            var c = new AlertCase
            {
                SiteId = Rig.Site, RigId = Rig.Rig, AlertId = mark, RaisedAt = t, RaisedAtNs = (t - DateTime.UnixEpoch).Ticks * 100, Status = AlertStatus.Closed,
                AcknowledgedBy = "worker", ClosedBy = "worker", Resolution = "Acme fixed it", AssigneeUserId = _workerId, CreatedAt = t,
            };
            c.Comments.Add(new AlertComment { Author = "worker", Text = "Acme's note", CreatedAt = t });
            scope.Db.AlertCases.Add(c);
            scope.Db.MaintenanceActions.Add(new MaintenanceAction { SiteId = Rig.Site, RigId = Rig.Rig, What = mark, Component = "seal", PerformedAt = t, Notes = "Acme", PerformedBy = "worker", RecordedAt = t });
        }
        scope.Db.NotificationSettings.Add(new NotificationSettings { UserId = _workerId, Enabled = true, Email = "worker@acme.test", UpdatedAt = Now });
        await scope.Db.SaveChangesAsync(Ct);
        return pilot.Id;
    }

    [Fact]
    public async Task PilotDelete_RemovesTheWindowsCasesAndMaintenance_AndNothingElse()
    {
        int pilot = await SeedAsync();
        await using (var scope = _store.Scope()) await PilotErasure.DisposeAsync(scope.Db, _influx, pilot, PilotDataDisposal.Delete, "test", Now, Ct);
        await using var check = _store.Scope();
        Assert.Equal(["after", "before"], await check.Db.AlertCases.Select(c => c.AlertId).OrderBy(x => x).ToListAsync(Ct));
        Assert.Equal(["after", "before"], await check.Db.MaintenanceActions.Select(m => m.What).OrderBy(x => x).ToListAsync(Ct));
        Assert.Equal(2, await check.Db.AlertComments.CountAsync(Ct));
    }

    [Fact]
    public async Task PilotAnonymise_KeepsWhatHappened_WithoutPeopleOrFreeText()
    {
        int pilot = await SeedAsync();
        await using (var scope = _store.Scope()) await PilotErasure.DisposeAsync(scope.Db, _influx, pilot, PilotDataDisposal.Anonymise, "test", Now, Ct);
        await using var check = _store.Scope();
        var inside = await check.Db.AlertCases.Include(c => c.Comments).SingleAsync(c => c.AlertId == "inside", Ct);
        Assert.Equal((AlertStatus.Closed, "(anonymised)", "(anonymised)", null, 0), (inside.Status, inside.ClosedBy, inside.Resolution, inside.AssigneeUserId, inside.Comments.Count));
        var action = await check.Db.MaintenanceActions.SingleAsync(m => m.What == "inside", Ct);
        Assert.Equal(("(anonymised)", null, "seal"), (action.PerformedBy, action.Notes, action.Component));
        Assert.Equal("worker", (await check.Db.MaintenanceActions.SingleAsync(m => m.What == "before", Ct)).PerformedBy);
    }

    [Fact]
    public async Task AccountErasure_LeavesAPseudonym_AndClearsAssignmentsAndSettings()
    {
        await SeedAsync();
        string pseudonym;
        await using (var scope = _store.Scope()) pseudonym = await AccountErasure.EraseAsync(scope.Db, "worker", "test", Now, Ct);
        await using var check = _store.Scope();
        Assert.All(await check.Db.AlertCases.ToListAsync(Ct), c => Assert.Equal((pseudonym, pseudonym, null), (c.AcknowledgedBy, c.ClosedBy, c.AssigneeUserId)));
        Assert.All(await check.Db.AlertComments.ToListAsync(Ct), c => Assert.Equal(pseudonym, c.Author));
        Assert.All(await check.Db.MaintenanceActions.ToListAsync(Ct), m => Assert.Equal(pseudonym, m.PerformedBy));
        Assert.False(await check.Db.NotificationSettings.AnyAsync(Ct));
    }
}
