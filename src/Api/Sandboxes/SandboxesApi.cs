using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Sandboxes;

/// <summary>Sandboxes (docs/datasets.md, "Replay into a sandbox"): open one for a dataset, list them, report a replay's
/// progress, end one early. The replay itself is a gateway (<c>./fieldlab replay</c>) publishing as the sandbox's rigs.</summary>
public static class SandboxesApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapSandboxesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/datasets/{id}/sandboxes", OpenAsync).WithTags("Sandboxes").WithName("OpenSandbox").RequireRight("sandbox", "manage")
            .WithSummary("Opens a sandbox site (lab-…) with one rig per replayed rig of the dataset, for a class; returns its site, rigs and replay files.");
        var sandboxes = app.MapGroup("/api/sandboxes").WithTags("Sandboxes");
        sandboxes.MapGet("/", ListAsync).WithName("ListSandboxes").RequireRight("sandbox", "manage").WithSummary("The sandboxes the caller runs, newest first.");
        sandboxes.MapPut("/{sandbox}/progress", ProgressAsync).WithName("SandboxProgress").RequireRight("sandbox", "manage")
            .WithSummary("The replay reports the rows it published and whether it is done.");
        sandboxes.MapDelete("/{sandbox}", DeleteAsync).WithName("DeleteSandbox").RequireRight("sandbox", "manage")
            .WithSummary("Ends a sandbox now: deletes its rigs' registrations, retained messages and stored points.");
        return app;
    }

    /// <summary>POST /api/datasets/{id}/sandboxes</summary>
    public static async Task<IResult> OpenAsync(string id, SandboxRequest request, HttpContext context, SandboxRegistry registry, SandboxReaper reaper, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var opened = await registry.OpenAsync(caller, id, request, cancellationToken);
        if (opened.Errors is not null) return TypedResults.ValidationProblem(opened.Errors);
        if (opened.Sandbox is not { } s) return TypedResults.Problem(opened.Problem, statusCode: opened.Status);
        reaper.Poke();
        var d = opened.Dataset!;
        return TypedResults.Created($"/api/sandboxes/{s.SiteId}", new
        {
            site = s.SiteId, host_site = s.HostSiteId, dataset = d.Id, version = d.Version, speed = s.Speed, expires_at = s.ExpiresAt,
            rigs = opened.Files!.Select(f => new
            {
                rig = f.Rig, stream = f.Stream, kind = f.Kind, rate_hz = f.RateHz, rows = f.Rows, sha256 = f.Sha256,
                file = $"/api/datasets/{d.Id}/versions/{d.Version}/files/{f.Name}",
            }),
        });
    }

    /// <summary>GET /api/sandboxes</summary>
    public static async Task<IResult> ListAsync(HttpContext context, SandboxRegistry registry, MetadataDb db, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var list = await registry.Visible(caller).OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var sites = list.Select(s => s.SiteId).ToList();
        var rigs = await db.Rigs.AsNoTracking().Where(r => sites.Contains(r.SiteId)).ToListAsync(cancellationToken);
        var classes = await db.Classes.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return TypedResults.Ok(list.Select(s => new
        {
            site = s.SiteId, host_site = s.HostSiteId, dataset = s.DatasetId, version = s.DatasetVersion, speed = s.Speed,
            @class = s.ClassId is { } c ? classes.GetValueOrDefault(c) : null, created_by = s.CreatedBy, created_at = s.CreatedAt, expires_at = s.ExpiresAt,
            finished_at = s.FinishedAt, rows = s.Rows, rigs = rigs.Where(r => r.SiteId == s.SiteId).Select(r => r.RigId).Order(StringComparer.Ordinal),
        }));
    }

    /// <summary>PUT /api/sandboxes/{sandbox}/progress</summary>
    public static async Task<IResult> ProgressAsync(string sandbox, SandboxProgress progress, HttpContext context, SandboxRegistry registry, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (progress.Rows < 0) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = ["not negative"] });
        return await registry.ReportAsync(caller, sandbox, progress, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No sandbox '{sandbox}'.", statusCode: 404, title: "Unknown sandbox");
    }

    /// <summary>DELETE /api/sandboxes/{sandbox}</summary>
    public static async Task<IResult> DeleteAsync(string sandbox, HttpContext context, SandboxRegistry registry, SandboxCleanup cleanup, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        if (!await registry.Visible(caller).AnyAsync(s => s.SiteId == sandbox, cancellationToken))
            return TypedResults.Problem($"No sandbox '{sandbox}'.", statusCode: 404, title: "Unknown sandbox");
        await cleanup.DeleteAsync(sandbox, caller.UserName, caller.Role.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }
}
