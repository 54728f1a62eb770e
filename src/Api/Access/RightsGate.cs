using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Antiforgery;

namespace Fieldlab.Api.Access;

/// <summary>The one place where the rights table is enforced, before any handler runs: every endpoint declares its
/// <see cref="RequiredRight"/> (an endpoint without one is refused, fail closed); anonymous callers get 401 unless the
/// right is <c>any</c>; a role whose scope is <c>-</c> gets 403; on a rig route the rig is resolved and the caller's
/// <see cref="RigVisibility"/> computed — a rig the caller may not see answers 404 exactly like an unknown one — and
/// handed to the handler as a <see cref="RigScope"/>. State changes made with the console's cookie must carry an
/// antiforgery token.</summary>
public sealed partial class RightsGate(RequestDelegate next, RightsTable table, RigPolicy policy, RigDirectory directory, TimeProvider time, ILogger<RightsGate> logger)
{
    /// <summary>Checks the request against the table.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }
        if (endpoint.Metadata.GetMetadata<RequiredRight>() is not { } required)
        {
            LogNoRight(endpoint.DisplayName ?? "?");
            await Results.Problem("This endpoint declares no right in docs/access.md and is not served.", statusCode: 500, title: "Endpoint without a right").ExecuteAsync(context);
            return;
        }
        var right = required.Right;
        if (table.ScopeOf(right, null) == Scope.Any)
        {
            await next(context);
            return;
        }
        var caller = await CallerContext.GetAsync(context);
        var page = endpoint.Metadata.GetMetadata<Console.ConsolePage>();
        if (caller is null && page is not null)
        {
            // A console page asks for a sign-in in place; after it, the page reloads where it was.
            await Console.ConsoleShell.WriteAsync(context, "sign-in", 401, new Dictionary<string, string?> { ["return"] = context.Request.Path + context.Request.QueryString });
            return;
        }
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem("Sign in, or send a personal API token as 'Authorization: Bearer flt_…' (./fieldlab credentials USER prints one).",
                statusCode: 401, title: "Not signed in").ExecuteAsync(context);
            return;
        }
        if (CallerContext.UsesCookie(context) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            await Results.Problem("A state change made with the console's session needs its antiforgery token (GET /api/session/antiforgery).",
                statusCode: 400, title: "Antiforgery token missing or wrong").ExecuteAsync(context);
            return;
        }
        var scope = table.ScopeOf(right, caller.Role);
        if (right.Resource == "rig" && context.Request.RouteValues.ContainsKey("rig"))
        {
            await ResolveRigAsync(context, right, caller);
            return;
        }
        if (scope == Scope.None)
        {
            await Forbidden(context, right);
            return;
        }
        if (scope == Scope.Site && context.Request.RouteValues.TryGetValue("site", out var site) && right.Resource != "rig" && (string?)site != caller.SiteId)
        {
            await Forbidden(context, right);
            return;
        }
        // self, pilots, all and site without a site in the route: the handler lists through TenantView.
        await next(context);
    }

    private async Task ResolveRigAsync(HttpContext context, Right right, Caller caller)
    {
        var site = context.Request.RouteValues["site"] as string;
        var rig = context.Request.RouteValues["rig"] as string;
        RigFacts? facts = null;
        if (WireNames.IsValidSegment(site) && WireNames.IsValidSegment(rig))
        {
            facts = await RigFactsQuery.LoadAsync(context.RequestServices.GetRequiredService<MetadataDb>(), new RigAddress(site!, rig!), context.RequestAborted);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var visibility = facts is null ? RigVisibility.None : policy.Evaluate(caller, facts, now);
        if (!visibility.Status)
        {
            // The same answer as for a rig that does not exist: nobody can probe for another company's pilot rigs.
            await NotFound(context, site, rig);
            return;
        }
        if (!visibility.Allows(right))
        {
            await Forbidden(context, right);
            return;
        }
        var address = new RigAddress(site!, rig!);
        directory.TryGet(address, out var entry);
        context.Items[RigScope.Key] = new RigScope(address, facts!, visibility, entry, caller, now);
        await next(context);
    }

    /// <summary>The 404 of an unknown (or invisible) rig.</summary>
    public static Task NotFound(HttpContext context, string? site, string? rig) => IsPage(context)
        ? Console.ConsoleShell.WriteAsync(context, "not-found", 404, new Dictionary<string, string?> { ["site"] = site, ["rig"] = rig })
        : Results.Problem($"No rig '{rig}' at site '{site}'.", statusCode: 404, title: "Unknown rig").ExecuteAsync(context);

    private static Task Forbidden(HttpContext context, Right right) => IsPage(context)
        ? Console.ConsoleShell.WriteAsync(context, "forbidden", 403)
        : Results.Problem($"Your role may not do this ({right} in docs/access.md).", statusCode: 403, title: "Not allowed").ExecuteAsync(context);

    private static bool IsPage(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<Console.ConsolePage>() is not null;

    [LoggerMessage(4010, LogLevel.Error, "Endpoint {Endpoint} declares no right; refused.")]
    private partial void LogNoRight(string endpoint);
}
