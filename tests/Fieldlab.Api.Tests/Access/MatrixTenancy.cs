using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Identity;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The tenancy every access test runs on, with data at known times: two sites; at <c>techport</c> a rig in
/// pilot-a's running pilot (<c>pump-1</c>, from T0, open-ended, not shared), a rig in pilot-b's ended pilot
/// (<c>electrolyser-1</c>, [T0, T1), shared with instructors), two teaching rigs (<c>motor-1</c>; <c>fuelcell-1</c>
/// whose truth is released until T1) and a spare rig for the pilots the matrix makes and ends (<c>spare-1</c>, pilot-a
/// from T0); at <c>other</c> a teaching rig (<c>motor-9</c>). Every rig has a sample, an alert, a truth event and a maintenance
/// action at TBefore (before any pilot), TIn (inside both pilots) and TAfter (after pilot-b ended), with marker values 1, 2, 3.</summary>
public sealed class MatrixTenancy
{
    /// <summary>Start of both pilots.</summary>
    public DateTime T0 { get; } = Round(DateTime.UtcNow.AddHours(-3));

    /// <summary>End of pilot-b's pilot, and the truth release of fuelcell-1.</summary>
    public DateTime T1 => T0.AddHours(2);

    /// <summary>The three marker times, with their marker value.</summary>
    public IReadOnlyList<(DateTime T, int Marker)> Markers => [(T0.AddHours(-2), 1), (T0.AddMinutes(10), 2), (T1.AddMinutes(10), 3)];

    /// <summary>Every rig (site, rig).</summary>
    public static readonly (string Site, string Rig)[] Rigs =
        [("techport", "pump-1"), ("techport", "electrolyser-1"), ("techport", "motor-1"), ("techport", "fuelcell-1"), ("techport", "spare-1"), ("other", "motor-9")];

    /// <summary>People: name → (role, site, organisation).</summary>
    public static readonly Dictionary<string, (Role Role, string? Site, string? Organisation)> People = new()
    {
        ["admin"] = (Role.Administrator, null, null),
        ["docent"] = (Role.Instructor, "techport", null),
        ["docent2"] = (Role.Instructor, "other", null),
        ["student"] = (Role.Student, "techport", null),
        ["student2"] = (Role.Student, "other", null),
        ["anna"] = (Role.CompanyMember, null, "pilot-a"),
        ["bart"] = (Role.CompanyMember, null, "pilot-b"),
    };

    /// <summary>Generated passwords of <see cref="People"/>.</summary>
    public Dictionary<string, string> Passwords { get; } = People.Keys.ToDictionary(p => p, _ => GeneratedPassword.New());

    /// <summary>Pilot ids: A (pilot-a, pump-1), B (pilot-b, electrolyser-1), S (pilot-a, spare-1).</summary>
    public Dictionary<string, int> Pilots { get; } = [];

    /// <summary>Fills an empty store.</summary>
    public async Task SeedAsync(MetadataDb db, UserManager<FieldlabUser> users)
    {
        var now = DateTime.UtcNow;
        var ct = CancellationToken.None;
        await SiteRegistry.AddSiteAsync(db, "techport", null, now, ct);
        await SiteRegistry.AddSiteAsync(db, "other", null, now, ct);
        foreach (var (site, rig) in Rigs) await SiteRegistry.AddRigAsync(db, site, rig, null, now, ct);
        await SiteRegistry.AddOrganisationAsync(db, "pilot-a", null, now, ct);
        await SiteRegistry.AddOrganisationAsync(db, "pilot-b", null, now, ct);
        Pilots["A"] = (await PilotBook.CreateAsync(db, "pilot-a", "A", [new RigAddress("techport", "pump-1")], T0, null, false, now, ct)).Id;
        Pilots["B"] = (await PilotBook.CreateAsync(db, "pilot-b", "B", [new RigAddress("techport", "electrolyser-1")], T0, T1, true, now, ct)).Id;
        Pilots["S"] = (await PilotBook.CreateAsync(db, "pilot-a", "S", [new RigAddress("techport", "spare-1")], T0, null, false, now, ct)).Id;
        var fuelcell = db.Rigs.Single(r => r.SiteId == "techport" && r.RigId == "fuelcell-1");
        fuelcell.TruthReleasedUntil = T1;
        await db.SaveChangesAsync(ct);
        await SiteRegistry.EnsureServiceAsync(db, "ingest-m", ServiceKind.Ingest, now, ct);
        await SiteRegistry.EnsureServiceAsync(db, "api-m", ServiceKind.Api, now, ct);
        foreach (var (name, (role, site, organisation)) in People)
            await UserAccounts.CreateAsync(users, db, new NewAccount(name, role, site, organisation, Passwords[name]), now, ct);
        var class1 = await ClassRoster.CreateAsync(db, "techport", "class-1", null, now, ct);
        await ClassRoster.AddMemberAsync(db, class1, (await users.FindByNameAsync("student"))!, ct);
        await ClassRoster.CreateAsync(db, "other", "class-9", null, now, ct);
        // A maintenance action at every marker time: the maintenance log follows the data windows as the data does.
        foreach (var (site, rig) in Rigs)
            foreach (var (t, marker) in Markers)
                db.MaintenanceActions.Add(new MaintenanceAction { SiteId = site, RigId = rig, What = $"marker {marker}", Component = "marker", PerformedAt = t, PerformedBy = "admin", RecordedAt = now });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Writes every rig's markers (as the admin: this is the data under test, not the path it came by).</summary>
    public async Task WriteMarkersAsync(InfluxClient admin)
    {
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new LineProtocolWriter();
        foreach (var (site, rig) in Rigs)
        {
            foreach (var (t, marker) in Markers)
            {
                long ns = UtcTimestamp.ToNanoseconds(new DateTimeOffset(t));
                lines.BeginPoint("samples").Tag("rig", rig).Tag("site", site).Tag("stream", "process").Field("flow", (double)marker).Field("seq", (long)marker).EndPoint(ns);
                lines.BeginPoint("alerts").Tag("id", $"m{marker}").Tag("rig", rig).Tag("site", site).Field("state", "raised").Field("kind", "anomaly")
                    .Field("summary", $"marker {marker}").Field("score", (double)marker).EndPoint(ns);
                lines.BeginPoint("fault_truth").Tag("fault", "marker").Tag("rig", rig).Tag("site", site).Field("action", "start").Field("severity", marker / 10.0)
                    .Field("progression_per_hour", 0.0).Field("source", "command").Field("command_id", $"m{marker}").EndPoint(ns);
            }
        }
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
    }

    /// <summary>The birth every rig announces (one sensor, one fault).</summary>
    public static RigBirth Birth() => new()
    {
        Kind = "pump",
        Streams = [new StreamSpec { Id = "process", RateHz = 1, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }] }],
        Faults = [new FaultInfo("bearing_outer", "outer race defect")],
    };

    /// <summary>Which markers each person may see of each rig's data — the promise of docs/access.md written out by hand
    /// (null: the rig does not exist for them).</summary>
    public static int[]? DataMarkers(string person, string rig) => (person, rig) switch
    {
        ("admin", _) => [1, 2, 3],
        ("docent", "pump-1" or "spare-1") => [1],
        ("docent", "electrolyser-1") => [1, 2, 3], // pilot-b shares its pilot with instructors
        ("docent", "motor-1" or "fuelcell-1") => [1, 2, 3],
        ("student", "pump-1" or "spare-1") => [1],
        ("student", "electrolyser-1") => [1, 3], // before and after pilot-b's window
        ("student", "motor-1" or "fuelcell-1") => [1, 2, 3],
        ("docent2" or "student2", "motor-9") => [1, 2, 3],
        ("anna", "pump-1" or "spare-1") => [2, 3],
        ("bart", "electrolyser-1") => [2],
        _ => null,
    };

    /// <summary>Which markers each person may see of each rig's fault truth (empty: the rig is visible, its truth not).</summary>
    public static int[]? TruthMarkers(string person, string rig) => (person, rig) switch
    {
        ("student", "fuelcell-1") => [1, 2], // released until T1
        ("student", _) when DataMarkers(person, rig) is not null => [],
        ("student2", "motor-9") => [],
        _ => DataMarkers(person, rig),
    };

    private static DateTime Round(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
