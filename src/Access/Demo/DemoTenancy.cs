using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Demo;

/// <summary>The demo tenancy <c>./fieldlab up</c> seeds into an empty store, so that a newcomer can try every role:
/// site <c>techport</c> with four rigs; company <c>pilot-a</c> piloting <c>pump-1</c> and <c>pilot-b</c> piloting
/// <c>electrolyser-1</c> (both from the moment of seeding, open-ended); teaching rigs <c>motor-1</c> and
/// <c>fuelcell-1</c>; users <c>admin</c>, <c>docent</c> (instructor), <c>student</c> (in <c>class-1</c>), <c>anna</c>
/// (pilot-a) and <c>bart</c> (pilot-b), with generated passwords; services <c>ingest-1</c> and <c>api-1</c>.</summary>
public static class DemoTenancy
{
    /// <summary>The demo site.</summary>
    public const string Site = "techport";

    /// <summary>The demo rigs and their descriptions.</summary>
    public static readonly (string Rig, string Description)[] Rigs =
    [
        ("pump-1", "Centrifugal pump on a variable-speed drive (simulated)"),
        ("motor-1", "Induction motor on a load bench, 3-axis vibration (simulated)"),
        ("electrolyser-1", "PEM electrolyser stack (simulated)"),
        ("fuelcell-1", "PEM fuel-cell stack (simulated)"),
    ];

    /// <summary>Seeds the demo if the store has no users yet; returns the generated passwords (empty if it did nothing).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SeedIfEmptyAsync(MetadataDb db, UserManager<FieldlabUser> users, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false)) return new Dictionary<string, string>();
        await SiteRegistry.AddSiteAsync(db, Site, "Fieldlab Smart Maintenance, Techport IJmond", now, cancellationToken).ConfigureAwait(false);
        foreach (var (rig, description) in Rigs) await SiteRegistry.AddRigAsync(db, Site, rig, description, now, cancellationToken).ConfigureAwait(false);
        await SiteRegistry.AddOrganisationAsync(db, "pilot-a", "Pilot A (demo MKB company: pump energy use case)", now, cancellationToken).ConfigureAwait(false);
        await SiteRegistry.AddOrganisationAsync(db, "pilot-b", "Pilot B (demo MKB company: electrolyser ageing use case)", now, cancellationToken).ConfigureAwait(false);
        await PilotBook.CreateAsync(db, "pilot-a", "Pump energy pilot", [new RigAddress(Site, "pump-1")], now, null, false, now, cancellationToken).ConfigureAwait(false);
        await PilotBook.CreateAsync(db, "pilot-b", "Electrolyser ageing pilot", [new RigAddress(Site, "electrolyser-1")], now, null, false, now, cancellationToken).ConfigureAwait(false);
        await SiteRegistry.EnsureServiceAsync(db, "ingest-1", ServiceKind.Ingest, now, cancellationToken).ConfigureAwait(false);
        await SiteRegistry.EnsureServiceAsync(db, "api-1", ServiceKind.Api, now, cancellationToken).ConfigureAwait(false);

        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<FieldlabUser> Add(string name, Role role, string? site, string? organisation, string display)
        {
            passwords[name] = GeneratedPassword.New();
            return await UserAccounts.CreateAsync(users, db, new NewAccount(name, role, site, organisation, passwords[name], display), now, cancellationToken).ConfigureAwait(false);
        }
        await Add("admin", Role.Administrator, null, null, "Fieldlab operator");
        var docent = await Add("docent", Role.Instructor, Site, null, "Docent (demo instructor)");
        var student = await Add("student", Role.Student, Site, null, "Student (demo)");
        await Add("anna", Role.CompanyMember, null, "pilot-a", "Anna (Pilot A)");
        await Add("bart", Role.CompanyMember, null, "pilot-b", "Bart (Pilot B)");
        var schoolClass = await ClassRoster.CreateAsync(db, Site, "class-1", docent.Id, now, cancellationToken).ConfigureAwait(false);
        await ClassRoster.AddMemberAsync(db, schoolClass, student, cancellationToken).ConfigureAwait(false);
        return passwords;
    }
}
