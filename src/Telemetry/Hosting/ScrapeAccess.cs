using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fieldlab.Telemetry.Hosting;

/// <summary>Guards <c>/metrics</c>: Prometheus reads it without an end-user token. A request that carries a bearer
/// credential must carry the configured one (<see cref="ScrapeOptions.TokenFile"/>); a request without one is served
/// only to a loopback peer (or an in-process one, which has no network address). Everything else gets 403.</summary>
/// <remarks>The counters hold no tenant data, but rig and gateway names are in their labels and the scrape costs
/// work, so the open door is the host itself — a deployment where Prometheus runs elsewhere configures a credential.</remarks>
public sealed class ScrapeAccess
{
    private readonly byte[]? _token;

    /// <summary>Reads the credential once, at start (options are validated before).</summary>
    public ScrapeAccess(IOptions<ScrapeOptions> options)
    {
        if (options.Value.TokenFile is { } file) _token = Encoding.UTF8.GetBytes(File.ReadAllText(file).Trim());
    }

    /// <summary>Null when the request may read the metrics, else why not.</summary>
    public string? Refusal(IPAddress? remote, string? authorization)
    {
        if (!string.IsNullOrEmpty(authorization))
        {
            const string Bearer = "Bearer ";
            if (_token is null) return "this service has no scrape credential configured (Scrape:TokenFile); call from the host itself without one";
            if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return "only a bearer credential is accepted";
            var given = Encoding.UTF8.GetBytes(authorization[Bearer.Length..].Trim());
            return CryptographicOperations.FixedTimeEquals(given, _token) ? null : "the bearer credential is not this service's scrape credential";
        }
        if (remote is null || IPAddress.IsLoopback(remote)) return null;
        return "without the scrape credential (Scrape:TokenFile) /metrics answers loopback callers only";
    }

    /// <summary>The middleware: passes allowed requests on, answers the others 403 with the reason.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Refusal(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization) is not { } why)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(why + "\n", context.RequestAborted);
    }
}
