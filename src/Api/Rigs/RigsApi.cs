using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Tenancy;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Rigs;

/// <summary>The rigs of a site: the ones the caller may see (<c>GET /api/sites/{site}/rigs</c>), one rig, and
/// registering a rig (administrators). The rig's data endpoints hang off the group <see cref="MapRigGroup"/> returns.</summary>
public static class RigsApi
{
    /// <summary>Maps <c>/api/sites/{site}/rigs</c> and returns the group <c>/api/sites/{site}/rigs/{rig}</c>, whose every
    /// endpoint the <see cref="RightsGate"/> resolves and checks as a rig.</summary>
    public static RouteGroupBuilder MapRigGroup(this IEndpointRouteBuilder app)
    {
        var rigs = app.MapGroup("/api/sites/{site}/rigs").WithTags("Rigs");
        rigs.MapGet("/", ListAsync).WithName("ListRigs").RequireRight(RigRights.Status)
            .WithSummary("The rigs of a site that the caller may see, with kind, sensors, online state and the caller's visible windows.");
        rigs.MapPost("/", RegisterAsync).WithName("RegisterRig").RequireRight("rig", "register")
            .WithSummary("Registers a rig at the site; its gateway's broker credentials follow from it (./fieldlab credentials gateway:SITE/RIG).");
        var rig = rigs.MapGroup("/{rig}");
        rig.MapGet("/", Get).WithName("GetRig").RequireRight(RigRights.Status).WithSummary("One rig.");
        return rig;
    }

    /// <summary>GET /api/sites/{site}/rigs</summary>
    public static async Task<Results<Ok<RigView[]>, ProblemHttpResult>> ListAsync(string site, HttpContext context, TenantView view, MetadataDb db,
        RigDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken)) return TypedResults.Problem($"No site '{site}'.", statusCode: 404, title: "Unknown site");
        var caller = await CallerContext.RequireAsync(context);
        var now = time.GetUtcNow().UtcDateTime;
        var rigs = await view.RigsAsync(caller, site, now, cancellationToken);
        return TypedResults.Ok(rigs.Select(r =>
        {
            directory.TryGet(new RigAddress(r.Rig.SiteId, r.Rig.RigId), out var entry);
            return RigView.From(r.Rig, entry, r.Facts, r.Visibility, now);
        }).ToArray());
    }

    /// <summary>GET /api/sites/{site}/rigs/{rig}</summary>
    public static async Task<Ok<RigView>> Get(RigScope scope, MetadataDb db, CancellationToken cancellationToken)
    {
        var record = await db.Rigs.AsNoTracking().FirstAsync(r => r.SiteId == scope.Address.Site && r.RigId == scope.Address.Rig, cancellationToken);
        return TypedResults.Ok(RigView.From(record, scope.Entry, scope.Facts, scope.Visibility, scope.Now));
    }

    /// <summary>POST /api/sites/{site}/rigs {"rig":"pump-2","description":"…"}</summary>
    public static async Task<IResult> RegisterAsync(string site, RegisterRigRequest request, HttpContext context, MetadataDb db, BrokerAccessSync broker,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return await TenancyResults.RunAsync(context, caller, "rig.register", site, request.Rig, null, request, async () =>
        {
            var record = await SiteRegistry.AddRigAsync(db, site, request.Rig ?? "", request.Description, time.GetUtcNow().UtcDateTime, cancellationToken);
            broker.Poke();
            return TypedResults.Created($"/api/sites/{site}/rigs/{record.RigId}", new { site = record.SiteId, rig = record.RigId, description = record.Description });
        });
    }
}

/// <summary>Body of <c>POST /api/sites/{site}/rigs</c>.</summary>
public sealed record RegisterRigRequest(string? Rig, string? Description);
