using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Identity;

namespace Fieldlab.Api.Tests.Access;

/// <summary>A small tenancy for tests that change it: site <c>lab</c> with rig <c>rig-1</c>, organisation
/// <c>company</c> with member <c>member</c>, administrator <c>admin</c>, instructor <c>teacher</c>, student
/// <c>pupil</c>, services <c>ingest-s</c> and <c>api-s</c>.</summary>
public sealed class SmallTenancy
{
    /// <summary>The rig.</summary>
    public static readonly RigAddress Rig = new("lab", "rig-1");

    /// <summary>Generated passwords.</summary>
    public Dictionary<string, string> Passwords { get; } = new[] { "admin", "teacher", "pupil", "member" }.ToDictionary(n => n, _ => GeneratedPassword.New());

    /// <summary>Fills an empty store.</summary>
    public async Task SeedAsync(MetadataDb db, UserManager<FieldlabUser> users)
    {
        var now = DateTime.UtcNow;
        var ct = CancellationToken.None;
        await SiteRegistry.AddSiteAsync(db, "lab", null, now, ct);
        await SiteRegistry.AddRigAsync(db, "lab", "rig-1", null, now, ct);
        await SiteRegistry.AddOrganisationAsync(db, "company", null, now, ct);
        await SiteRegistry.EnsureServiceAsync(db, "ingest-s", ServiceKind.Ingest, now, ct);
        await SiteRegistry.EnsureServiceAsync(db, "api-s", ServiceKind.Api, now, ct);
        await UserAccounts.CreateAsync(users, db, new NewAccount("admin", Role.Administrator, null, null, Passwords["admin"]), now, ct);
        await UserAccounts.CreateAsync(users, db, new NewAccount("teacher", Role.Instructor, "lab", null, Passwords["teacher"]), now, ct);
        await UserAccounts.CreateAsync(users, db, new NewAccount("pupil", Role.Student, "lab", null, Passwords["pupil"]), now, ct);
        await UserAccounts.CreateAsync(users, db, new NewAccount("member", Role.CompanyMember, null, "company", Passwords["member"]), now, ct);
    }
}
