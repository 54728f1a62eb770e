namespace Fieldlab.Api.Console;

/// <summary>Security headers of the console's pages and assets: a Content-Security-Policy that allows only the
/// console's own scripts, styles and API (no inline script, no other origin, no framing), no MIME sniffing, no referrer
/// to other sites.</summary>
public sealed class ConsoleSecurityHeaders(RequestDelegate next)
{
    /// <summary>The policy. uPlot sets element styles through the CSSOM, which <c>style-src 'self'</c> permits.</summary>
    public const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response under <c>/console</c> and to <c>/</c>.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/console") || path == "/")
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
        }
        return next(context);
    }
}
