using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;

namespace Fieldlab.Api.Tenancy;

/// <summary>Sites: the ones the caller may list, and registering one (administrators).</summary>
public static class SitesApi
{
    /// <summary>Maps <c>/api/sites</c>.</summary>
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites").WithTags("Sites");
        sites.MapGet("/", ListAsync).WithName("ListSites").RequireRight("site", "list").WithSummary("The sites the caller may see.");
        sites.MapPost("/", AddAsync).WithName("AddSite").RequireRight("site", "manage").WithSummary("Registers a site {id, name}.");
        return app;
    }

    /// <summary>GET /api/sites</summary>
    public static async Task<IResult> ListAsync(HttpContext context, TenantView view, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return TypedResults.Ok((await view.SitesAsync(caller, cancellationToken)).Select(s => new { id = s.Id, name = s.Name }));
    }

    /// <summary>POST /api/sites</summary>
    public static async Task<IResult> AddAsync(NewSiteRequest request, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return await TenancyResults.RunAsync(context, caller, "site.add", request.Id, null, null, request, async () =>
        {
            var site = await SiteRegistry.AddSiteAsync(db, request.Id ?? "", request.Name, time.GetUtcNow().UtcDateTime, cancellationToken);
            return TypedResults.Created($"/api/sites/{site.Id}/rigs", new { id = site.Id, name = site.Name });
        });
    }
}

/// <summary>Body of <c>POST /api/sites</c>.</summary>
public sealed record NewSiteRequest(string? Id, string? Name);
