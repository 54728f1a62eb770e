using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tenancy;

/// <summary>Classes of a site: created by instructors, who invite students with codes; students make their own account
/// with a code and join the class.</summary>
public static class ClassRoster
{
    /// <summary>Prefix of invitation codes.</summary>
    public const string InvitationPrefix = "fli";

    /// <summary>Creates a class.</summary>
    public static async Task<SchoolClass> CreateAsync(MetadataDb db, string site, string name, string? createdBy, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidId(name) is { } problem) throw new TenancyException("name", problem);
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken).ConfigureAwait(false)) throw new TenancyException("site", $"no site '{site}'", TenancyProblem.NotFound);
        if (await db.Classes.AnyAsync(c => c.SiteId == site && c.Name == name, cancellationToken).ConfigureAwait(false))
            throw new TenancyException("name", $"class '{name}' exists already at {site}", TenancyProblem.Conflict);
        var schoolClass = new SchoolClass { SiteId = site, Name = name, CreatedBy = createdBy, CreatedAt = now };
        db.Classes.Add(schoolClass);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return schoolClass;
    }

    /// <summary>The class <paramref name="name"/> at <paramref name="site"/>.</summary>
    public static async Task<SchoolClass> FindAsync(MetadataDb db, string site, string name, CancellationToken cancellationToken) =>
        await db.Classes.Include(c => c.Members).FirstOrDefaultAsync(c => c.SiteId == site && c.Name == name, cancellationToken).ConfigureAwait(false)
        ?? throw new TenancyException("name", $"no class '{name}' at {site}", TenancyProblem.NotFound);

    /// <summary>Makes an invitation code for <paramref name="uses"/> accounts, valid for <paramref name="lifetime"/>; the
    /// code is shown only now.</summary>
    public static async Task<(ClassInvitation Invitation, string Code)> InviteAsync(MetadataDb db, SchoolClass schoolClass, int uses, TimeSpan lifetime,
        string? createdBy, DateTime now, CancellationToken cancellationToken)
    {
        if (uses is < 1 or > 500) throw new TenancyException("uses", "an invitation is for 1 to 500 accounts");
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(90)) throw new TenancyException("valid_for", "an invitation is valid for at most 90 days");
        var (id, code, hash) = TokenText.New(InvitationPrefix);
        var invitation = new ClassInvitation { Id = id, ClassId = schoolClass.Id, SecretHash = hash, UsesLeft = uses, ExpiresAt = now + lifetime, CreatedBy = createdBy, CreatedAt = now };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (invitation, code);
    }

    /// <summary>Creates a student account with an invitation code and puts it in the code's class.</summary>
    public static async Task<FieldlabUser> AcceptAsync(UserManager<FieldlabUser> users, MetadataDb db, string code, string userName, string password,
        string? displayName, DateTime now, CancellationToken cancellationToken)
    {
        // One answer for every kind of bad code: a guessed code must not learn which part was wrong.
        const string Void = "the invitation code is not valid (mistyped, used up or expired)";
        if (!TokenText.TryParse(code, InvitationPrefix, out var id, out var secret)) throw new TenancyException("code", Void);
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken).ConfigureAwait(false);
        if (invitation is null || !TokenText.Matches(secret, invitation.SecretHash) || invitation.UsesLeft < 1 || invitation.ExpiresAt <= now)
            throw new TenancyException("code", Void);
        var schoolClass = await db.Classes.FirstAsync(c => c.Id == invitation.ClassId, cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Take one use in the database itself, so that two students racing for the last use cannot both get it.
        int taken = await db.Invitations.Where(i => i.Id == id && i.UsesLeft > 0 && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsesLeft, i => i.UsesLeft - 1), cancellationToken).ConfigureAwait(false);
        if (taken == 0) throw new TenancyException("code", Void);
        var user = await UserAccounts.CreateAsync(users, db, new NewAccount(userName, Role.Student, schoolClass.SiteId, null, password, displayName), now, cancellationToken).ConfigureAwait(false);
        db.ClassMembers.Add(new ClassMember { ClassId = schoolClass.Id, UserId = user.Id });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Adds an existing student of the class's site to the class.</summary>
    public static async Task AddMemberAsync(MetadataDb db, SchoolClass schoolClass, FieldlabUser student, CancellationToken cancellationToken)
    {
        if (student.Role != Role.Student || student.SiteId != schoolClass.SiteId)
            throw new TenancyException("user", $"'{student.UserName}' is not a student at {schoolClass.SiteId}");
        if (await db.ClassMembers.AnyAsync(m => m.ClassId == schoolClass.Id && m.UserId == student.Id, cancellationToken).ConfigureAwait(false)) return;
        db.ClassMembers.Add(new ClassMember { ClassId = schoolClass.Id, UserId = student.Id });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
