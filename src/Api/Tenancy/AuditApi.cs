using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tenancy;

/// <summary>The audit log: a site's (instructors of the site, administrators) and the whole log (administrators).</summary>
public static class AuditApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{site}/audit", (string site, int? limit, HttpContext c, TenantView v, CancellationToken ct) => ListAsync(site, limit, c, v, ct))
            .WithTags("Audit").WithName("SiteAudit").RequireRight("audit", "read").WithSummary("The audit log of a site, newest first (limit, default 200).");
        app.MapGet("/api/audit", (int? limit, HttpContext c, TenantView v, CancellationToken ct) => ListAsync(null, limit, c, v, ct))
            .WithTags("Audit").WithName("Audit").RequireRight("audit", "read-all").WithSummary("The whole audit log, newest first (limit, default 200).");
        return app;
    }

    private static async Task<IResult> ListAsync(string? site, int? limit, HttpContext context, TenantView view, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1 … 10000"] });
        var caller = await CallerContext.RequireAsync(context);
        var entries = await view.Audit(caller, site).AsNoTracking().OrderByDescending(a => a.Id).Take(limit ?? 200)
            .Select(a => new { t = a.Time, actor = a.Actor, role = a.ActorRole, action = a.Action, site = a.SiteId, rig = a.RigId, target = a.Target, detail = a.Detail, outcome = a.Outcome })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }
}
