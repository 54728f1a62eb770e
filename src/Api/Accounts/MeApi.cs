using Fieldlab.Access.Accounts;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Tenancy;
using Fieldlab.Telemetry.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Accounts;

/// <summary>The caller's own account and personal API tokens (<c>/api/me</c>).</summary>
public static class MeApi
{
    /// <summary>Maps <c>/api/me</c>.</summary>
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Account");
        me.MapGet("/", GetAsync).WithName("Me").RequireRight("account", "read").WithSummary("Who am I: role, site, organisation, classes.");
        me.MapGet("/tokens", ListTokensAsync).WithName("MyTokens").RequireRight("token", "manage").WithSummary("My personal API tokens (never their secrets).");
        me.MapPost("/tokens", CreateTokenAsync).WithName("CreateToken").RequireRight("token", "manage").WithSummary("Makes a personal API token {name, valid_for}; the token is shown only in this answer.");
        me.MapDelete("/tokens/{id}", RevokeTokenAsync).WithName("RevokeToken").RequireRight("token", "manage").WithSummary("Revokes one of my tokens.");
        return app;
    }

    /// <summary>GET /api/me</summary>
    public static async Task<IResult> GetAsync(HttpContext context, MetadataDb db, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var classes = await db.Classes.AsNoTracking().Where(c => caller.ClassIds.Contains(c.Id)).Select(c => c.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(new
        {
            user_name = caller.UserName,
            display_name = user.DisplayName,
            role = caller.Role.ToString(),
            site = caller.SiteId,
            organisation = caller.OrganisationId,
            classes,
            sign_in = user.ExternalSubject is null ? "local" : "oidc",
            mqtt_username = caller.UserName,
        });
    }

    /// <summary>GET /api/me/tokens</summary>
    public static async Task<IResult> ListTokensAsync(HttpContext context, MetadataDb db, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == caller.UserId).OrderBy(t => t.CreatedAt)
            .Select(t => new { id = t.Id, name = t.Name, created_at = t.CreatedAt, expires_at = t.ExpiresAt, revoked_at = t.RevokedAt }).ToListAsync(cancellationToken);
        return TypedResults.Ok(tokens);
    }

    /// <summary>POST /api/me/tokens {"name":"jupyter","valid_for":"30d"}</summary>
    public static async Task<IResult> CreateTokenAsync(NewTokenRequest request, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var lifetime = Duration.Parse(request.ValidFor ?? "30d");
        if (lifetime is null || lifetime <= TimeSpan.Zero || lifetime > ApiTokens.MaxLifetime)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["valid_for"] = [$"a duration up to {ApiTokens.MaxLifetime.TotalDays:F0}d (e.g. 30d)"] });
        if (request.Name is { Length: > 100 }) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["at most 100 characters"] });
        return await TenancyResults.RunAsync(context, caller, "token.create", null, null, caller.UserName, new { request.Name, request.ValidFor }, async () =>
        {
            var (token, text) = await ApiTokens.CreateAsync(db, caller.UserId, request.Name ?? "token", lifetime.Value, time.GetUtcNow().UtcDateTime, cancellationToken);
            return TypedResults.Created($"/api/me/tokens/{token.Id}", new { token = text, id = token.Id, name = token.Name, expires_at = token.ExpiresAt });
        });
    }

    /// <summary>DELETE /api/me/tokens/{id}</summary>
    public static async Task<IResult> RevokeTokenAsync(string id, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == caller.UserId, cancellationToken);
        if (token is null) return TypedResults.Problem($"You have no token '{id}'.", statusCode: 404, title: "Unknown token");
        return await TenancyResults.RunAsync(context, caller, "token.revoke", null, null, id, null, async () =>
        {
            token.RevokedAt ??= time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.NoContent();
        });
    }
}

/// <summary>Body of <c>POST /api/me/tokens</c>.</summary>
public sealed record NewTokenRequest(string? Name, string? ValidFor);
