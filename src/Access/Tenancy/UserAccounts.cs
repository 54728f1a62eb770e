using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tenancy;

/// <summary>What a new account is.</summary>
/// <param name="UserName">Account name (also the broker user name).</param>
/// <param name="Role">Role.</param>
/// <param name="SiteId">Site, for a student or an instructor.</param>
/// <param name="OrganisationId">Organisation, for a company member.</param>
/// <param name="Password">Initial password, or null for an account that signs in only through OpenID Connect.</param>
/// <param name="DisplayName">Name people read.</param>
/// <param name="ExternalSubject"><c>issuer|subject</c> of an OpenID Connect account.</param>
public sealed record NewAccount(string UserName, Role Role, string? SiteId, string? OrganisationId, string? Password, string? DisplayName = null, string? ExternalSubject = null);

/// <summary>Creates accounts with Identity (password hashing and lockout), checking that the role fits where it applies.</summary>
public static class UserAccounts
{
    /// <summary>Creates the account; throws <see cref="TenancyException"/> naming what is wrong.</summary>
    public static async Task<FieldlabUser> CreateAsync(UserManager<FieldlabUser> users, MetadataDb db, NewAccount account, DateTime now, CancellationToken cancellationToken)
    {
        if (AccountNames.ExplainInvalidUser(account.UserName) is { } nameProblem) throw new TenancyException("user_name", nameProblem);
        switch (account.Role)
        {
            case Role.Student or Role.Instructor:
                if (account.SiteId is null) throw new TenancyException("site", $"a {Describe(account.Role)} belongs to a site");
                if (account.OrganisationId is not null) throw new TenancyException("organisation", $"a {Describe(account.Role)} belongs to no organisation");
                if (!await db.Sites.AnyAsync(s => s.Id == account.SiteId, cancellationToken).ConfigureAwait(false))
                    throw new TenancyException("site", $"no site '{account.SiteId}'", TenancyProblem.NotFound);
                break;
            case Role.CompanyMember:
                if (account.OrganisationId is null) throw new TenancyException("organisation", "a company member belongs to an organisation");
                if (account.SiteId is not null) throw new TenancyException("site", "a company member belongs to no site (its pilots say where it may look)");
                if (!await db.Organisations.AnyAsync(o => o.Id == account.OrganisationId, cancellationToken).ConfigureAwait(false))
                    throw new TenancyException("organisation", $"no organisation '{account.OrganisationId}'", TenancyProblem.NotFound);
                break;
            case Role.Administrator:
                if (account.SiteId is not null || account.OrganisationId is not null) throw new TenancyException("role", "an administrator belongs to no site or organisation");
                break;
            default:
                throw new TenancyException("role", $"unknown role {account.Role}");
        }
        if (await users.FindByNameAsync(account.UserName).ConfigureAwait(false) is not null)
            throw new TenancyException("user_name", $"user '{account.UserName}' exists already", TenancyProblem.Conflict);
        if (account.ExternalSubject is { } subject && await db.Users.AnyAsync(u => u.ExternalSubject == subject, cancellationToken).ConfigureAwait(false))
            throw new TenancyException("external_subject", "another account signs in with this OpenID Connect subject already", TenancyProblem.Conflict);
        var user = new FieldlabUser
        {
            UserName = account.UserName,
            Role = account.Role,
            SiteId = account.SiteId,
            OrganisationId = account.OrganisationId,
            DisplayName = account.DisplayName ?? account.UserName,
            ExternalSubject = account.ExternalSubject,
            CreatedAt = now,
            LockoutEnabled = true,
        };
        var result = account.Password is null ? await users.CreateAsync(user).ConfigureAwait(false) : await users.CreateAsync(user, account.Password).ConfigureAwait(false);
        if (!result.Succeeded) throw new TenancyException(result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "user_name",
            string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>Sets a new password (resets, generated passwords): checked by Identity's validators, hashed by its
    /// hasher; the security stamp changes, so that the account's console sessions end.</summary>
    public static async Task SetPasswordAsync(UserManager<FieldlabUser> users, FieldlabUser user, string password)
    {
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password).ConfigureAwait(false);
            if (!check.Succeeded) errors.AddRange(check.Errors);
        }
        if (errors.Count > 0) throw new TenancyException("password", string.Join(" ", errors.Select(e => e.Description)));
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var result = await users.UpdateSecurityStampAsync(user).ConfigureAwait(false); // saves the hash too
        if (!result.Succeeded) throw new TenancyException("password", string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>How the role reads in a sentence.</summary>
    public static string Describe(Role role) => role switch
    {
        Role.CompanyMember => "company member",
        _ => role.ToString().ToLowerInvariant(),
    };
}
