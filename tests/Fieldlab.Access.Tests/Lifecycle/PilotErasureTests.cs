using System.Globalization;
using System.Text;
using Fieldlab.Access.Lifecycle;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Access.Tests.Database;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Lifecycle;

/// <summary><see cref="PilotErasure"/> on a SQLite store and a real auth-enabled InfluxDB 1.6: deleting exactly the pilot rig's points inside its window in every measurement and retention policy, anonymising, refusals, and reapplying the register to a restored backup.</summary>
public sealed class PilotErasureTests(InfluxFixture influx) : IClassFixture<InfluxFixture>, IAsyncLifetime
{
    private const string Site = "lab";
    private const string PilotRig = "rig-a";
    private const string OtherRig = "rig-b";
    private const string Organisation = "acme";
    private const string Requester = "operator (test) for acme";
    private static readonly CancellationToken Ct = CancellationToken.None;

    // Where the points lie, relative to the pilot's window [Start, End).
    private static readonly string[] PilotRigMarks = ["before", "start", "inside", "last", "end", "after"];
    private static readonly string[] KeptMarks = ["after", "before", "end"];

    // Measurements in the database's default policy, and the raw waveforms in their own.
    private static readonly (string Policy, string Measurement)[] Series =
    [
        ("autogen", "samples"),
        ("autogen", "alerts"),
        ("autogen", "energy"),
        ("autogen", "fault_truth"),
        (InfluxDatabaseSetup.WaveformRetentionPolicy, "waveform"),
    ];

    // The window lies in the past, but inside the waveform policy's duration (InfluxDB drops points older than it).
    private static readonly DateTime Now = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    private static readonly DateTime Start = Now.AddDays(-2);
    private static readonly DateTime End = Now.AddDays(-1);

    private TestStore _store = null!;
    private InfluxClient _influx = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.SqliteAsync();
        await using (var scope = _store.Scope())
        {
            await SiteRegistry.AddSiteAsync(scope.Db, Site, null, Now.AddDays(-10), Ct);
            await SiteRegistry.AddRigAsync(scope.Db, Site, PilotRig, null, Now.AddDays(-10), Ct);
            await SiteRegistry.AddRigAsync(scope.Db, Site, OtherRig, null, Now.AddDays(-10), Ct);
            await SiteRegistry.AddOrganisationAsync(scope.Db, Organisation, "Acme B.V.", Now.AddDays(-10), Ct);
        }
        _influx = new InfluxClient(influx.Server.ClientOptions());
        await InfluxDatabaseSetup.EnsureAsync(_influx, TimeSpan.FromDays(7), Ct);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _influx?.Dispose();
        if (_store is not null) await _store.DisposeAsync();
    }

    private static DateTime TimeOf(string mark) => mark switch
    {
        "before" => Start.AddHours(-1),
        "start" => Start,
        "inside" => Start.AddHours(12),
        "last" => End.AddSeconds(-1),
        "end" => End,
        "after" => End.AddHours(1),
        _ => throw new ArgumentOutOfRangeException(nameof(mark)),
    };

    private static long Nanoseconds(DateTime t) => (t - DateTime.UnixEpoch).Ticks * 100;

    private async Task<int> CreatePilotAsync(string rig, DateTime start, DateTime? end)
    {
        await using var scope = _store.Scope();
        var pilot = await PilotBook.CreateAsync(scope.Db, Organisation, "Acme pump pilot", [new RigAddress(Site, rig)], start, end, false, start, Ct);
        return pilot.Id;
    }

    // Every mark on the pilot's rig, and the inside of the window on the other rig, in every measurement and policy.
    private async Task WritePointsAsync()
    {
        foreach (var (policy, measurement) in Series)
        {
            var lines = new StringBuilder();
            foreach (var mark in PilotRigMarks) lines.Append(Line(measurement, PilotRig, mark));
            lines.Append(Line(measurement, OtherRig, "inside"));
            await _influx.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), _influx.Options.Database, policy, Ct);
        }
    }

    private static string Line(string measurement, string rig, string mark) =>
        string.Create(CultureInfo.InvariantCulture, $"{measurement},site={Site},rig={rig} mark=\"{mark}\",value=1 {Nanoseconds(TimeOf(mark))}\n");

    private async Task<string[]> MarksAsync(string policy, string measurement, string rig)
    {
        var result = await _influx.QueryAsync(new InfluxQuery(
            $"SELECT \"mark\" FROM {InfluxIdentifier.Quote(policy)}.{InfluxIdentifier.Quote(measurement)} WHERE \"site\" = $site AND \"rig\" = $rig").Bind("site", Site).Bind("rig", rig), Ct);
        if (result.Single is not { } series) return [];
        int column = series.ColumnIndex("mark");
        return [.. series.Rows.Select(r => r[column].GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task AssertEverySeriesAsync(string[] pilotRig, string[] otherRig)
    {
        foreach (var (policy, measurement) in Series)
        {
            var found = await MarksAsync(policy, measurement, PilotRig);
            Assert.True(pilotRig.AsEnumerable().SequenceEqual(found),
                $"{policy}.{measurement} of {PilotRig}: expected [{string.Join(", ", pilotRig)}], found [{string.Join(", ", found)}]");
            var other = await MarksAsync(policy, measurement, OtherRig);
            Assert.True(otherRig.AsEnumerable().SequenceEqual(other),
                $"{policy}.{measurement} of {OtherRig}: expected [{string.Join(", ", otherRig)}], found [{string.Join(", ", other)}]");
        }
    }

    private static string[] All => [.. PilotRigMarks.Order(StringComparer.Ordinal)];

    private async Task<int> EraseAsync(int pilot, PilotDataDisposal disposal)
    {
        await using var scope = _store.Scope();
        return await PilotErasure.DisposeAsync(scope.Db, _influx, pilot, disposal, Requester, Now, Ct);
    }

    [Fact]
    public async Task WrittenPoints_AreAllThere_BeforeAnyErasure()
    {
        // The premise of every other test: each series holds every point it was given (none dropped by a policy).
        await WritePointsAsync();
        await AssertEverySeriesAsync(All, ["inside"]);
    }

    [Fact]
    public async Task DisposeAsync_Delete_RemovesExactlyThePilotRigsPointsInsideTheWindow_InTheDefaultPolicy()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        await WritePointsAsync();

        int rigs = await EraseAsync(pilot, PilotDataDisposal.Delete);

        Assert.Equal(1, rigs);
        foreach (var (policy, measurement) in Series.Where(s => s.Policy == "autogen"))
        {
            Assert.Equal(KeptMarks, await MarksAsync(policy, measurement, PilotRig));
            Assert.Equal(["inside"], await MarksAsync(policy, measurement, OtherRig));
        }
    }

    [Fact]
    public async Task DisposeAsync_Delete_RemovesTheWindowFromTheWaveformRetentionPolicyToo()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        await WritePointsAsync();

        await EraseAsync(pilot, PilotDataDisposal.Delete);

        Assert.Equal(KeptMarks, await MarksAsync(InfluxDatabaseSetup.WaveformRetentionPolicy, "waveform", PilotRig));
        Assert.Equal(["inside"], await MarksAsync(InfluxDatabaseSetup.WaveformRetentionPolicy, "waveform", OtherRig));
    }

    [Fact]
    public async Task DisposeAsync_Delete_DeletesThePilot_AndRegistersTheErasedWindow()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        int other = await CreatePilotAsync(OtherRig, Start, End);

        await EraseAsync(pilot, PilotDataDisposal.Delete);

        await using var scope = _store.Scope();
        Assert.False(await scope.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
        Assert.False(await scope.Db.PilotRigs.AnyAsync(r => r.PilotId == pilot, Ct));
        Assert.True(await scope.Db.Pilots.AnyAsync(p => p.Id == other, Ct), "the other pilot is gone too");
        var record = Assert.Single(await scope.Db.Erasures.AsNoTracking().ToListAsync(Ct));
        Assert.Equal("pilot-data", record.Kind);
        Assert.Equal((Site, PilotRig), (record.SiteId, record.RigId));
        Assert.Equal((Start, End), (record.From, record.To));
        Assert.Equal(Now, record.Time);
        Assert.Equal(Requester, record.Requester);
        Assert.Contains($"{Site}/{PilotRig}", record.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_OpenEndedPilot_IsRefusedAsConflict_AndChangesNothing()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, null);
        await WritePointsAsync();

        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync(pilot, PilotDataDisposal.Delete));

        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        Assert.Contains("has not ended", e.Message, StringComparison.Ordinal);
        await AssertEverySeriesAsync(All, ["inside"]);
        await using var scope = _store.Scope();
        Assert.True(await scope.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
        Assert.False(await scope.Db.Erasures.AnyAsync(Ct));
    }

    [Theory]
    [InlineData(PilotDataDisposal.Delete)]
    [InlineData(PilotDataDisposal.Anonymise)]
    public async Task DisposeAsync_PilotEndingInTheFuture_IsRefusedAsConflict(PilotDataDisposal disposal)
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, Now.AddHours(1));

        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync(pilot, disposal));

        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        await using var scope = _store.Scope();
        Assert.True(await scope.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
        Assert.False(await scope.Db.Erasures.AnyAsync(Ct));
    }

    [Fact]
    public async Task DisposeAsync_UnknownPilot_IsNotFound()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);

        var e = await Assert.ThrowsAsync<TenancyException>(() => EraseAsync(pilot + 100, PilotDataDisposal.Delete));

        Assert.Equal(TenancyProblem.NotFound, e.Kind);
        await using var scope = _store.Scope();
        Assert.True(await scope.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
    }

    [Fact]
    public async Task DisposeAsync_Anonymise_KeepsTheData_AndTheWindowBecomesTeachingData()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        await WritePointsAsync();
        await using (var scope = _store.Scope())
            Assert.Single((await RigFactsQuery.LoadAsync(scope.Db, new RigAddress(Site, PilotRig), Ct))!.Pilots);

        int rigs = await EraseAsync(pilot, PilotDataDisposal.Anonymise);

        Assert.Equal(1, rigs);
        await AssertEverySeriesAsync(All, ["inside"]);
        await using var check = _store.Scope();
        var facts = await RigFactsQuery.LoadAsync(check.Db, new RigAddress(Site, PilotRig), Ct);
        Assert.NotNull(facts);
        Assert.Empty(facts.Pilots);
        Assert.False(await check.Db.Pilots.AnyAsync(p => p.Id == pilot, Ct));
    }

    [Fact]
    public async Task DisposeAsync_Anonymise_ReplacesTheDetailOfThePilotsAuditEntries_AndRegistersIt()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        int other = await CreatePilotAsync(OtherRig, Start, End);
        const string OwnDetail = "{\"organisation\":\"acme\",\"name\":\"Acme pump pilot\"}";
        const string OtherDetail = "{\"organisation\":\"acme\",\"name\":\"Acme fuel-cell pilot\"}";
        await using (var scope = _store.Scope())
        {
            scope.Db.Audit.Add(new AuditEntry { Time = Start, Actor = "admin", ActorRole = "Administrator", Action = "pilot.create", Target = $"pilot:{pilot}", Detail = OwnDetail, Outcome = "ok" });
            scope.Db.Audit.Add(new AuditEntry { Time = End, Actor = "admin", ActorRole = "Administrator", Action = "pilot.end", Target = $"pilot:{pilot}", Detail = OwnDetail, Outcome = "ok" });
            scope.Db.Audit.Add(new AuditEntry { Time = Start, Actor = "admin", ActorRole = "Administrator", Action = "pilot.create", Target = $"pilot:{other}", Detail = OtherDetail, Outcome = "ok" });
            await scope.Db.SaveChangesAsync(Ct);
        }

        await EraseAsync(pilot, PilotDataDisposal.Anonymise);

        await using var check = _store.Scope();
        var own = await check.Db.Audit.AsNoTracking().Where(a => a.Target == $"pilot:{pilot}").ToListAsync(Ct);
        Assert.Equal(2, own.Count);
        Assert.All(own, a => Assert.DoesNotContain("acme", a.Detail ?? "", StringComparison.OrdinalIgnoreCase));
        Assert.All(own, a => Assert.Equal("(anonymised)", a.Detail));
        var kept = Assert.Single(await check.Db.Audit.AsNoTracking().Where(a => a.Target == $"pilot:{other}").ToListAsync(Ct));
        Assert.Equal(OtherDetail, kept.Detail);
        var record = Assert.Single(await check.Db.Erasures.AsNoTracking().ToListAsync(Ct));
        Assert.Equal("pilot-anonymised", record.Kind);
        Assert.Equal(Requester, record.Requester);
        Assert.Contains($"{Site}/{PilotRig}", record.Detail, StringComparison.Ordinal);
        Assert.True(await check.Db.Pilots.AnyAsync(p => p.Id == other, Ct));
    }

    [Fact]
    public async Task ReapplyAsync_AfterARestoredBackup_DeletesTheErasedWindowAgain_AndNotTheAnonymisedOne()
    {
        int deleted = await CreatePilotAsync(PilotRig, Start, End);
        int anonymised = await CreatePilotAsync(OtherRig, Start, End);
        await WritePointsAsync();
        await EraseAsync(deleted, PilotDataDisposal.Delete);
        await EraseAsync(anonymised, PilotDataDisposal.Anonymise);
        await AssertEverySeriesAsync(KeptMarks, ["inside"]);

        // A backup from before the erasure is restored: the window's points are back.
        await WritePointsAsync();
        await AssertEverySeriesAsync(All, ["inside"]);

        int reapplied;
        await using (var scope = _store.Scope()) reapplied = await PilotErasure.ReapplyAsync(scope.Db, _influx, Ct);

        Assert.Equal(1, reapplied);
        await AssertEverySeriesAsync(KeptMarks, ["inside"]);
    }

    [Fact]
    public async Task ReapplyAsync_EmptyRegister_DeletesNothing()
    {
        await WritePointsAsync();

        int reapplied;
        await using (var scope = _store.Scope()) reapplied = await PilotErasure.ReapplyAsync(scope.Db, _influx, Ct);

        Assert.Equal(0, reapplied);
        await AssertEverySeriesAsync(All, ["inside"]);
    }

    [Fact]
    public async Task Deleting_AlsoDeletesTheDatasetsThatHoldPartOfTheWindow_WhoeverFrozeThem_AndKeepsTheOthers()
    {
        int pilot = await CreatePilotAsync(PilotRig, Start, End);
        using var root = new Fieldlab.Testing.TempDirectory("erasure-datasets");
        var store = new Fieldlab.Datasets.DatasetDirectory(root.Path);
        DatasetRecord Record(string id, string rigs, DateTime from, DateTime to, string? organisation) => new()
        {
            Id = id, Version = 1, SelectionKey = id, SiteId = Site, Rigs = rigs, From = from, To = to, FrozenBy = "someone", OrganisationId = organisation,
            FrozenAt = Now, SamplesSha256 = new string('0', 64),
        };
        var records = new[]
        {
            Record("ds-company", PilotRig, Start.AddHours(1), Start.AddHours(2), Organisation),          // the company's own copy
            Record("ds-shared", $"{OtherRig},{PilotRig}", Start.AddHours(-3), Start.AddHours(1), null),  // an instructor's, reaching into the window
            Record("ds-before", PilotRig, Start.AddHours(-3), Start, null),                            // ends where the window starts
            Record("ds-other-rig", OtherRig, Start.AddHours(1), Start.AddHours(2), null),               // another rig
        };
        await using (var scope = _store.Scope())
        {
            foreach (var r in records)
            {
                await store.CommitAsync(r.Id, 1, (folder, ct) => File.WriteAllTextAsync(Path.Combine(folder, "samples.csv"), "time\n", ct), Ct);
                scope.Db.Datasets.Add(r);
            }
            await scope.Db.SaveChangesAsync();
        }

        await using (var scope = _store.Scope())
            await PilotErasure.DisposeAsync(scope.Db, _influx, pilot, PilotDataDisposal.Delete, Requester, Now, Ct, datasetsDirectory: root.Path);

        await using (var scope = _store.Scope())
            Assert.Equal(["ds-before", "ds-other-rig"], (await scope.Db.Datasets.Select(d => d.Id).ToListAsync()).Order(StringComparer.Ordinal));
        Assert.False(store.Exists("ds-company", 1));
        Assert.False(store.Exists("ds-shared", 1));
        Assert.True(store.Exists("ds-before", 1));
        Assert.True(store.Exists("ds-other-rig", 1));
        foreach (var f in Directory.EnumerateFiles(root.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
    }
}
