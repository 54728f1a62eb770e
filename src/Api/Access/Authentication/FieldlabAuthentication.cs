using System.Security.Claims;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Access.Authentication;

/// <summary>The API's authentication: one policy scheme that picks, per request, the personal-token handler
/// (<c>Bearer flt_…</c>), the school's OpenID Connect provider (any other Bearer token, when configured) or the console's
/// cookie. Each ends in the account's user id (<see cref="FieldlabClaims.UserId"/>).</summary>
public static class FieldlabAuthentication
{
    /// <summary>The policy scheme every request goes through.</summary>
    public const string Scheme = "fieldlab";

    /// <summary>Personal API tokens.</summary>
    public const string TokenScheme = "token";

    /// <summary>The console's session cookie.</summary>
    public const string CookieScheme = "cookie";

    /// <summary>Registers the schemes (section <c>Oidc</c> for the identity provider).</summary>
    public static IServiceCollection AddFieldlabAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OidcOptions>(configuration, "Oidc");
        // Everything about the provider is read when the options are first used, not while services are registered
        // (a host's configuration may still change between the two: test hosts, environment overlays).
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Fieldlab", o => o.ForwardDefaultSelector = context =>
                Select(context, context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.Enabled))
            .AddScheme<AuthenticationSchemeOptions, PersonalTokenHandler>(TokenScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "fieldlab.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever the console is served over TLS
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = ValidateCookieAsync;
            })
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<OidcOptions>>((o, options) =>
        {
            var oidc = options.Value;
            if (!oidc.Enabled) return; // the selector never forwards to this scheme then
            {
                o.Authority = oidc.Authority;
                o.Audience = oidc.Audience;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.RefreshOnIssuerKeyNotFound = true;
                o.RefreshInterval = oidc.RefreshInterval;
                o.AutomaticRefreshInterval = oidc.KeyRefreshInterval;
                o.TokenValidationParameters.ValidateIssuer = true;
                o.TokenValidationParameters.ValidateAudience = true;
                o.TokenValidationParameters.ValidateLifetime = true;
                o.TokenValidationParameters.RequireSignedTokens = true;
                o.TokenValidationParameters.RequireExpirationTime = true;
                o.TokenValidationParameters.ClockSkew = oidc.ClockSkew;
                o.Events = new JwtBearerEvents { OnTokenValidated = OidcAccounts.OnTokenValidatedAsync };
            }
        });
        // Microsoft.IdentityModel would go on accepting a withdrawn key for an hour from its "last known good"
        // configuration; a key the provider withdraws (it may have leaked) is refused as soon as the keys are fetched again.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            if (o.ConfigurationManager is Microsoft.IdentityModel.Tokens.BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
        });
        return services;
    }

    private static string Select(HttpContext context, bool oidc)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0) return CookieScheme;
        if (oidc && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !header["Bearer ".Length..].TrimStart().StartsWith(Fieldlab.Access.Accounts.ApiTokens.Prefix + "_", StringComparison.Ordinal))
            return JwtBearerDefaults.AuthenticationScheme;
        return TokenScheme;
    }

    // A session ends when its account is gone or its security stamp changed (password reset, lockout reset, erasure).
    private static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var userId = context.Principal?.FindFirst(FieldlabClaims.UserId)?.Value;
        var stamp = context.Principal?.FindFirst(FieldlabClaims.SecurityStamp)?.Value;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<FieldlabUser>>();
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || user.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>The cookie principal of a signed-in account.</summary>
    public static ClaimsPrincipal CookiePrincipal(FieldlabUser user) => new(new ClaimsIdentity(
    [
        new Claim(FieldlabClaims.UserId, user.Id),
        new Claim(FieldlabClaims.SecurityStamp, user.SecurityStamp ?? ""),
        new Claim(FieldlabClaims.Method, "cookie"),
        new Claim(ClaimTypes.Name, user.UserName ?? ""),
    ], CookieScheme));
}
