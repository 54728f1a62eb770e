using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Fieldlab.Api.Broker;
using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tenancy;

/// <summary>Classes of a site (instructors of the site, administrators): list with students, create, invite students
/// with a code, remove a student; and accepting an invitation (anyone with a valid code makes a student account).</summary>
public static class ClassesApi
{
    /// <summary>Maps <c>/api/sites/{site}/classes</c> and <c>/api/invitations/accept</c>.</summary>
    public static IEndpointRouteBuilder MapClassesApi(this IEndpointRouteBuilder app)
    {
        var classes = app.MapGroup("/api/sites/{site}/classes").WithTags("Classes");
        classes.MapGet("/", ListAsync).WithName("ListClasses").RequireRight("class", "read").WithSummary("Classes of the site and their students.");
        classes.MapPost("/", CreateAsync).WithName("CreateClass").RequireRight("class", "manage").WithSummary("Creates a class {name}.");
        classes.MapPost("/{name}/invitations", InviteAsync).WithName("InviteStudents").RequireRight("class", "manage")
            .WithSummary("An invitation code {uses, valid_for} with which students make their own account in the class; shown only now.");
        classes.MapDelete("/{name}/members/{user}", RemoveAsync).WithName("RemoveStudent").RequireRight("class", "manage").WithSummary("Takes a student out of the class.");
        app.MapPost("/api/invitations/accept", AcceptAsync).WithTags("Classes").WithName("AcceptInvitation").RequireRight("invitation", "accept")
            .WithSummary("Makes a student account with an invitation code {code, user_name, password, display_name}.");
        return app;
    }

    /// <summary>GET /api/sites/{site}/classes</summary>
    public static async Task<IResult> ListAsync(string site, MetadataDb db, CancellationToken cancellationToken)
    {
        var classes = await db.Classes.AsNoTracking().Include(c => c.Members).Where(c => c.SiteId == site).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        var ids = classes.SelectMany(c => c.Members.Select(m => m.UserId)).ToHashSet();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, cancellationToken);
        return TypedResults.Ok(classes.Select(c => new { name = c.Name, students = c.Members.Select(m => names.GetValueOrDefault(m.UserId)).Order(StringComparer.Ordinal) }));
    }

    /// <summary>POST /api/sites/{site}/classes</summary>
    public static async Task<IResult> CreateAsync(string site, NewClassRequest request, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return await TenancyResults.RunAsync(context, caller, "class.create", site, null, request.Name, request, async () =>
        {
            var c = await ClassRoster.CreateAsync(db, site, request.Name ?? "", caller.UserId, time.GetUtcNow().UtcDateTime, cancellationToken);
            return TypedResults.Created($"/api/sites/{site}/classes", new { name = c.Name, site = c.SiteId });
        });
    }

    /// <summary>POST /api/sites/{site}/classes/{name}/invitations</summary>
    public static async Task<IResult> InviteAsync(string site, string name, InvitationRequest? request, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var lifetime = Duration.Parse(request?.ValidFor ?? "14d");
        if (lifetime is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["valid_for"] = ["a duration (e.g. 14d)"] });
        return await TenancyResults.RunAsync(context, caller, "class.invite", site, null, name, request, async () =>
        {
            var schoolClass = await ClassRoster.FindAsync(db, site, name, cancellationToken);
            var (invitation, code) = await ClassRoster.InviteAsync(db, schoolClass, request?.Uses ?? 30, lifetime.Value, caller.UserId, time.GetUtcNow().UtcDateTime, cancellationToken);
            return TypedResults.Created($"/api/sites/{site}/classes", new { code, uses = invitation.UsesLeft, expires_at = invitation.ExpiresAt, accept = "POST /api/invitations/accept" });
        });
    }

    /// <summary>DELETE /api/sites/{site}/classes/{name}/members/{user}</summary>
    public static async Task<IResult> RemoveAsync(string site, string name, string user, HttpContext context, MetadataDb db, BrokerAccessSync broker, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return await TenancyResults.RunAsync(context, caller, "class.remove", site, null, user, null, async () =>
        {
            var schoolClass = await ClassRoster.FindAsync(db, site, name, cancellationToken);
            var member = await db.Users.FirstOrDefaultAsync(u => u.UserName == user, cancellationToken);
            var row = member is null ? null : await db.ClassMembers.FirstOrDefaultAsync(m => m.ClassId == schoolClass.Id && m.UserId == member.Id, cancellationToken);
            if (row is null) throw new TenancyException("user", $"'{user}' is not in {name}", TenancyProblem.NotFound);
            db.ClassMembers.Remove(row);
            await db.SaveChangesAsync(cancellationToken);
            broker.Poke();
            return TypedResults.NoContent();
        });
    }

    /// <summary>POST /api/invitations/accept</summary>
    public static async Task<IResult> AcceptAsync(AcceptInvitationRequest request, UserManager<FieldlabUser> users, MetadataDb db, BrokerAccessSync broker,
        TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var user = await ClassRoster.AcceptAsync(users, db, request.Code ?? "", request.UserName ?? "", request.Password ?? "", request.DisplayName,
                time.GetUtcNow().UtcDateTime, cancellationToken);
            await Fieldlab.Access.Audit.AuditLog.WriteAsync(db, new AuditEntry
            {
                Time = time.GetUtcNow().UtcDateTime, Actor = user.UserName!, ActorRole = user.Role.ToString(), Action = "invitation.accept", SiteId = user.SiteId, Outcome = "ok",
            }, cancellationToken);
            broker.Poke();
            return TypedResults.Created("/api/me", new { user_name = user.UserName, role = user.Role.ToString(), site = user.SiteId });
        }
        catch (TenancyException e)
        {
            return e.Kind == TenancyProblem.Conflict
                ? TypedResults.Problem(e.Message, statusCode: 409, title: "Conflict")
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
    }
}

/// <summary>Body of <c>POST /api/sites/{site}/classes</c>.</summary>
public sealed record NewClassRequest(string? Name);

/// <summary>Body of <c>POST …/invitations</c>.</summary>
public sealed record InvitationRequest(int? Uses, string? ValidFor);

/// <summary>Body of <c>POST /api/invitations/accept</c>.</summary>
public sealed record AcceptInvitationRequest(string? Code, string? UserName, string? Password, string? DisplayName);
