using System.Security.Claims;
using System.Text;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Access.Authentication;

/// <summary>Turns a validated token of the school's identity provider into a Fieldlab account: found by
/// <c>issuer|subject</c>, or made on its first sign-in (just in time), with the role the <see cref="OidcOptions.RoleMap"/>
/// gives the token's roles — updated on every sign-in, so that a role taken away at the provider is taken away here.</summary>
public static class OidcAccounts
{
    /// <summary>The JwtBearer event: maps or refuses the token.</summary>
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<OidcOptions>>().Value;
        var principal = context.Principal!;
        var issuer = principal.FindFirst("iss")?.Value;
        var subject = principal.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject))
        {
            context.Fail("The token has no iss or sub.");
            return;
        }
        Role? role = null;
        foreach (var claim in principal.FindAll(options.RoleClaim))
        {
            if (options.RoleMap.TryGetValue(claim.Value, out var mapped)) { role = mapped; break; }
        }
        if (role is null)
        {
            context.Fail($"None of the token's {options.RoleClaim} maps to a Fieldlab role.");
            return;
        }
        var user = await FindOrCreateAsync(services.GetRequiredService<MetadataDb>(), services.GetRequiredService<UserManager<FieldlabUser>>(),
            $"{issuer}|{subject}", principal.FindFirst(options.UserNameClaim)?.Value ?? subject, role.Value, options.Site,
            services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, context.HttpContext.RequestAborted);
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(FieldlabClaims.UserId, user.Id), new Claim(FieldlabClaims.Method, "oidc")], JwtBearerDefaults.AuthenticationScheme));
    }

    /// <summary>The account of an external subject, made or updated.</summary>
    public static async Task<FieldlabUser> FindOrCreateAsync(MetadataDb db, UserManager<FieldlabUser> users, string externalSubject, string preferredName,
        Role role, string site, DateTime now, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.ExternalSubject == externalSubject, cancellationToken);
        if (user is not null)
        {
            if (user.Role != role || user.SiteId != site)
            {
                user.Role = role;
                user.SiteId = site;
                await users.UpdateAsync(user);
            }
            return user;
        }
        var baseName = Sanitise(preferredName);
        var name = baseName;
        for (int n = 2; await users.FindByNameAsync(name) is not null; n++) name = $"{baseName[..Math.Min(baseName.Length, 28)]}-{n}";
        return await UserAccounts.CreateAsync(users, db, new NewAccount(name, role, site, null, null, preferredName, externalSubject), now, cancellationToken);
    }

    private static string Sanitise(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '-');
            if (text.Length == 32) break;
        }
        if (text.Length == 0 || text[0] is < 'a' or > 'z') text.Insert(0, 'u');
        while (text.Length < 2) text.Append('x');
        return text.ToString()[..Math.Min(text.Length, 32)];
    }
}
