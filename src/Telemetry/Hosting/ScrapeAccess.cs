using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Fieldlab.Telemetry.Hosting;

/// <summary>Guards <c>/metrics</c>, which Prometheus reads without a person's token: a loopback peer (or an in-process
/// one, which has no network address) is served; any other peer must send the configured scrape credential
/// (<see cref="ScrapeOptions.TokenFile"/>) as <c>Authorization: Bearer …</c>, else it gets 403.</summary>
/// <remarks>The counters hold no tenant data, but rig and gateway names are in their labels and a scrape costs work, so
/// the open door is the host itself; a deployment where Prometheus runs on another host (or container) configures a
/// credential. A loopback caller's Authorization header is not looked at: on the API it is a person's token.</remarks>
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
        if (remote is null || IPAddress.IsLoopback(remote)) return null;
        if (_token is null) return "/metrics answers loopback callers only: this service has no scrape credential (Scrape:TokenFile)";
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return "/metrics needs the scrape credential as 'Authorization: Bearer …' from another host";
        var given = Encoding.UTF8.GetBytes(authorization[Bearer.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, _token) ? null : "the bearer credential is not this service's scrape credential";
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
