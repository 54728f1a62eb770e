using System.Text.Json;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;

namespace Fieldlab.Api.Tenancy;

/// <summary>Runs a change of the tenancy on behalf of a caller: a <see cref="TenancyException"/> becomes a 400/404/409
/// problem naming the field, and every attempt — carried out or refused — is written to the audit log.</summary>
public static class TenancyResults
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Runs <paramref name="change"/> and audits it as <paramref name="action"/>.</summary>
    public static async Task<IResult> RunAsync(HttpContext context, Caller caller, string action, string? site, string? rig, string? target, object? request, Func<Task<IResult>> change)
    {
        var db = context.RequestServices.GetRequiredService<MetadataDb>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        IResult result;
        string outcome;
        try
        {
            result = await change();
            outcome = "ok";
        }
        catch (TenancyException e)
        {
            db.ChangeTracker.Clear(); // nothing half-made is saved with the audit entry
            outcome = "refused";
            result = e.Kind switch
            {
                TenancyProblem.NotFound => TypedResults.Problem(e.Message, statusCode: 404, title: "Not found"),
                TenancyProblem.Conflict => TypedResults.Problem(e.Message, statusCode: 409, title: "Conflict"),
                _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            };
        }
        await AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = time.GetUtcNow().UtcDateTime,
            Actor = caller.UserName,
            ActorRole = caller.Role.ToString(),
            Action = action,
            SiteId = site,
            RigId = rig,
            Target = target,
            Detail = request is null ? null : Redacted(request),
            Outcome = outcome,
        }, context.RequestAborted);
        return result;
    }

    /// <summary>The request as JSON with every password, secret or code replaced: they never reach the audit log.</summary>
    public static string Redacted(object request)
    {
        var node = JsonSerializer.SerializeToNode(request, request.GetType(), Json);
        if (node is System.Text.Json.Nodes.JsonObject o)
        {
            foreach (var key in o.Select(kv => kv.Key).Where(k => k.Contains("password", StringComparison.OrdinalIgnoreCase) || k is "code" or "token" or "secret").ToList())
                o[key] = "(redacted)";
        }
        return node?.ToJsonString() ?? "null";
    }
}
