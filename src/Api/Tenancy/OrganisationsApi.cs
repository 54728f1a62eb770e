using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tenancy;

/// <summary>Organisations (MKB companies): a company member sees its own, an administrator all and registers them.</summary>
public static class OrganisationsApi
{
    /// <summary>Maps <c>/api/organisations</c>.</summary>
    public static IEndpointRouteBuilder MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        var organisations = app.MapGroup("/api/organisations").WithTags("Organisations");
        organisations.MapGet("/", ListAsync).WithName("ListOrganisations").RequireRight("organisation", "read").WithSummary("Organisations the caller may see.");
        organisations.MapPost("/", AddAsync).WithName("AddOrganisation").RequireRight("organisation", "manage").WithSummary("Registers an organisation {id, name}.");
        return app;
    }

    /// <summary>GET /api/organisations</summary>
    public static async Task<IResult> ListAsync(HttpContext context, TenantView view, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return TypedResults.Ok(await view.Organisations(caller).AsNoTracking().OrderBy(o => o.Id).Select(o => new { id = o.Id, name = o.Name }).ToListAsync(cancellationToken));
    }

    /// <summary>POST /api/organisations</summary>
    public static async Task<IResult> AddAsync(NewOrganisationRequest request, HttpContext context, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        return await TenancyResults.RunAsync(context, caller, "organisation.add", null, null, request.Id, request, async () =>
        {
            var organisation = await SiteRegistry.AddOrganisationAsync(db, request.Id ?? "", request.Name, time.GetUtcNow().UtcDateTime, cancellationToken);
            return TypedResults.Created("/api/organisations", new { id = organisation.Id, name = organisation.Name });
        });
    }
}

/// <summary>Body of <c>POST /api/organisations</c>.</summary>
public sealed record NewOrganisationRequest(string? Id, string? Name);
