using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Microsoft.Extensions.FileProviders;

namespace Fieldlab.Api.Console;

/// <summary>The console's routes: one HTML shell per page (<see cref="ConsoleShell"/>) and its static assets under
/// <c>/console/assets/</c> (plain ES modules, CSS, the vendored uPlot and the language files; no build step). A rig's
/// page answers 404 for a rig the caller may not see, exactly like the API.</summary>
public static class ConsolePages
{
    /// <summary>Where the assets are copied at build time (next to the API's assembly).</summary>
    public static string AssetDirectory => Path.Combine(AppContext.BaseDirectory, "Console", "wwwroot");

    /// <summary>Serves the assets (as files, not endpoints: they hold no data and need no right) with their security headers.</summary>
    public static WebApplication UseConsoleAssets(this WebApplication app)
    {
        app.UseMiddleware<ConsoleSecurityHeaders>();
        if (Directory.Exists(AssetDirectory))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(AssetDirectory),
                RequestPath = "/console/assets",
                // Revalidated on every load (ETag): a new release is seen at once, an unchanged file costs a 304.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
            });
        }
        return app;
    }

    /// <summary>Maps the pages.</summary>
    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/console").WithTags("Console").ExcludeFromDescription();
        // The site's root is the overview too (a redirect would lose a script's Authorization header).
        app.MapGet("/", (HttpContext c) => ConsoleShell.Page(c, "overview")).RequireRight("console", "view").WithMetadata(new ConsolePage("overview")).ExcludeFromDescription();
        console.MapGet("/", (HttpContext c) => ConsoleShell.Page(c, "overview")).RequireRight("console", "view").WithMetadata(new ConsolePage("overview"));
        console.MapGet("/sign-in", (HttpContext c) => ConsoleShell.Page(c, "sign-in")).RequireRight("session", "sign-in").WithMetadata(new ConsolePage("sign-in"));
        console.MapGet("/lab", (HttpContext c) => ConsoleShell.Page(c, "lab")).RequireRight("console", "view").WithMetadata(new ConsolePage("lab"));
        console.MapGet("/account", (HttpContext c) => ConsoleShell.Page(c, "account")).RequireRight("console", "view").WithMetadata(new ConsolePage("account"));
        console.MapGet("/platform", (HttpContext c) => ConsoleShell.Page(c, "platform")).RequireRight("console", "view").WithMetadata(new ConsolePage("platform"));
        console.MapGet("/datasets", (HttpContext c) => ConsoleShell.Page(c, "datasets")).RequireRight("console", "view").WithMetadata(new ConsolePage("datasets"));
        // A dataset's id is only handed to the page: the page asks the API, which answers 404 for one the caller may not read.
        console.MapGet("/datasets/{id}", (string id, HttpContext c) => ConsoleShell.Page(c, "dataset", values: new Dictionary<string, string?> { ["dataset"] = id }))
            .RequireRight("console", "view").WithMetadata(new ConsolePage("dataset"));
        console.MapGet("/assignments", (HttpContext c) => ConsoleShell.Page(c, "assignments")).RequireRight("console", "view").WithMetadata(new ConsolePage("assignments"));
        // Like a dataset: the page only hands the id on; the API answers 404 for an assignment the caller may not see.
        console.MapGet("/assignments/{id:int}", (int id, HttpContext c) => ConsoleShell.Page(c, "assignment", values: new Dictionary<string, string?> { ["assignment"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .RequireRight("console", "view").WithMetadata(new ConsolePage("assignment"));
        console.MapGet("/pilots/{id:int}", (int id, HttpContext c) => ConsoleShell.Page(c, "pilot", values: new Dictionary<string, string?> { ["pilot"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .RequireRight("console", "view").WithMetadata(new ConsolePage("pilot"));
        console.MapGet("/sites/{site}/rigs/{rig}", (RigScope scope, HttpContext c) =>
                ConsoleShell.Page(c, "rig", values: new Dictionary<string, string?> { ["site"] = scope.Address.Site, ["rig"] = scope.Address.Rig }))
            .RequireRight(RigRights.Status).WithMetadata(new ConsolePage("rig"));
        return app;
    }
}
