using System.Globalization;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Truth;

/// <summary>Publishing a rig's fault truth to students: after a lesson in which they had to find the fault themselves,
/// an instructor releases the truth staged before a moment (<c>now</c>, a time, <c>forever</c> for live truth too, or
/// <c>null</c> to hide it again). The broker follows: live truth topics open to students only with <c>forever</c>.</summary>
public static class TruthReleaseApi
{
    /// <summary>Maps <c>PUT …/truth-release</c> in the rig group.</summary>
    public static RouteGroupBuilder MapTruthReleaseApi(this RouteGroupBuilder rig)
    {
        rig.MapPut("/truth-release", ReleaseAsync).WithName("ReleaseTruth").RequireRight(RigRights.ReleaseTruth)
            .WithSummary("Shows students the fault truth staged before 'until' (now, an RFC 3339 time, forever) or hides it again (null).");
        return rig;
    }

    /// <summary>PUT …/truth-release {"until":"now"}</summary>
    public static async Task<IResult> ReleaseAsync(RigScope scope, TruthReleaseRequest request, HttpContext context, MetadataDb db, BrokerAccessSync broker,
        TimeProvider time, CancellationToken cancellationToken)
    {
        DateTime? until;
        switch (request.Until)
        {
            case null:
                until = null;
                break;
            case "now":
                until = time.GetUtcNow().UtcDateTime;
                break;
            case "forever":
                until = DateTime.MaxValue;
                break;
            default:
                if (!DateTimeOffset.TryParse(request.Until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["until"] = ["now, forever, null or an RFC 3339 time"] });
                until = at.UtcDateTime;
                break;
        }
        return await TenancyResults.RunAsync(context, scope.Caller, "truth.release", scope.Address.Site, scope.Address.Rig, null, request, async () =>
        {
            var record = await db.Rigs.FirstAsync(r => r.SiteId == scope.Address.Site && r.RigId == scope.Address.Rig, cancellationToken);
            record.TruthReleasedUntil = until;
            await db.SaveChangesAsync(cancellationToken);
            broker.Poke();
            return TypedResults.Ok(new { site = record.SiteId, rig = record.RigId, until = until == DateTime.MaxValue ? "forever" : until?.ToString("O", CultureInfo.InvariantCulture) });
        });
    }
}

/// <summary>Body of <c>PUT …/truth-release</c>.</summary>
public sealed record TruthReleaseRequest(string? Until);
