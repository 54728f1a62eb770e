using Fieldlab.Access.Accounts;
using Fieldlab.Access.Lifecycle;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Fieldlab.Api.Broker;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tenancy;

/// <summary>Accounts (administrators): list, create, and erase (the right to erasure: the account goes, the audit log
/// keeps a pseudonym).</summary>
public static class UsersApi
{
    /// <summary>Maps <c>/api/users</c>.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users");
        users.MapGet("/", ListAsync).WithName("ListUsers").RequireRight("user", "manage").WithSummary("Every account, with role, site, organisation and lockout.");
        users.MapPost("/", CreateAsync).WithName("CreateUser").RequireRight("user", "manage")
            .WithSummary("Creates an account {user_name, role, site, organisation, password (optional: one is generated and shown once)}.");
        users.MapDelete("/{name}", EraseAsync).WithName("EraseUser").RequireRight("user", "manage")
            .WithSummary("Erases an account: tokens, memberships and broker access go; the audit log keeps a pseudonym.");
        return app;
    }

    /// <summary>GET /api/users</summary>
    public static async Task<IResult> ListAsync(MetadataDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Users.AsNoTracking().OrderBy(u => u.UserName).Select(u => new
        {
            user_name = u.UserName,
            display_name = u.DisplayName,
            role = u.Role.ToString(),
            site = u.SiteId,
            organisation = u.OrganisationId,
            sign_in = u.ExternalSubject == null ? "local" : "oidc",
            locked_until = u.LockoutEnd,
        }).ToListAsync(cancellationToken));

    /// <summary>POST /api/users</summary>
    public static async Task<IResult> CreateAsync(NewUserRequest request, HttpContext context, UserManager<FieldlabUser> users, MetadataDb db, BrokerAccessSync broker,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (!Enum.TryParse<Role>(request.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["Student, Instructor, CompanyMember or Administrator"] });
        var password = request.Password ?? GeneratedPassword.New();
        return await TenancyResults.RunAsync(context, caller, "user.create", request.Site, null, request.UserName, request, async () =>
        {
            var user = await UserAccounts.CreateAsync(users, db, new NewAccount(request.UserName ?? "", role, request.Site, request.Organisation, password, request.DisplayName),
                time.GetUtcNow().UtcDateTime, cancellationToken);
            broker.Poke();
            return TypedResults.Created($"/api/users/{user.UserName}", new
            {
                user_name = user.UserName,
                role = user.Role.ToString(),
                site = user.SiteId,
                organisation = user.OrganisationId,
                password = request.Password is null ? password : null,
            });
        });
    }

    /// <summary>DELETE /api/users/{name}</summary>
    public static async Task<IResult> EraseAsync(string name, HttpContext context, MetadataDb db, BrokerAccessSync broker,
        Microsoft.Extensions.Options.IOptions<Datasets.DatasetOptions> datasets, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (name == caller.UserName) return TypedResults.Problem("Erase another administrator's account, not your own.", statusCode: 409, title: "Conflict");
        string? pseudonym = null;
        var result = await TenancyResults.RunAsync(context, caller, "user.erase", null, null, null, null, async () =>
        {
            pseudonym = await AccountErasure.EraseAsync(db, name, caller.UserName, time.GetUtcNow().UtcDateTime, cancellationToken,
                datasets.Value.Directory);
            await broker.ApplyNowAsync(cancellationToken);
            return TypedResults.Ok(new { erased = pseudonym });
        });
        return result;
    }
}

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record NewUserRequest(string? UserName, string? Role, string? Site, string? Organisation, string? Password, string? DisplayName);
