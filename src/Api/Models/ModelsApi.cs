using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Ingest;

namespace Fieldlab.Api.Models;

/// <summary>Re-baselining a rig's models (instructors and administrators): the API asks ingest with its service key and
/// writes the request and ingest's answer to the audit log.</summary>
public static class ModelsApi
{
    /// <summary>Maps <c>POST …/models/baseline</c> in the rig group.</summary>
    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder rig)
    {
        rig.MapPost("/models/baseline", RebaselineAsync).WithName("RebaselineModels").RequireRight(RigRights.Rebaseline)
            .WithSummary("Makes every model of the rig learn a new baseline from the data that follows.");
        return rig;
    }

    /// <summary>POST …/models/baseline</summary>
    public static async Task<IResult> RebaselineAsync(RigScope scope, IngestClient ingest, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (status, body) = await ingest.SendAsync(HttpMethod.Post, $"models/{scope.Address.Site}/{scope.Address.Rig}/baseline", cancellationToken);
        await AuditLog.WriteAsync(db, AuditLog.ForRig(scope.Caller, scope.Address, "models.rebaseline", null, body,
            status is >= 200 and < 300 ? "ok" : "failed", time.GetUtcNow().UtcDateTime), CancellationToken.None);
        return Results.Content(body, "application/json", statusCode: status is >= 200 and < 300 ? 202 : status);
    }
}
