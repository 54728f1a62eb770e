using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Fieldlab.Telemetry.Hosting;

/// <summary>The metrics defaults every Fieldlab service shares: its one <see cref="System.Diagnostics.Metrics.Meter"/>
/// (and any framework meter it names) exported as Prometheus text on <c>/metrics</c>, guarded by <see cref="ScrapeAccess"/>.</summary>
public static class PrometheusMetrics
{
    /// <summary>The path Prometheus scrapes on every service.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers the exporter for <paramref name="meters"/> and the scrape guard (options section <c>Scrape</c>).</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, IConfiguration configuration, params string[] meters)
    {
        services.AddValidatedOptions<ScrapeOptions>(configuration, "Scrape");
        services.AddSingleton<ScrapeAccess>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(meters);
            // Counters are cumulative: a scrape reads them and never resets them.
            metrics.AddPrometheusExporter();
        });
        return services;
    }

    /// <summary>Maps <c>/metrics</c>. <paramref name="provider"/> and <paramref name="access"/> default to the ones of
    /// <paramref name="app"/>'s services; a service that serves its metrics from a separate small web host passes its own.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, MeterProvider? provider = null, ScrapeAccess? access = null)
    {
        var guard = access ?? app.ServiceProvider.GetRequiredService<ScrapeAccess>();
        // GET only: the endpoint is a route like any other (the API's rights table lists it as GET /metrics).
        return app.MapPrometheusScrapingEndpoint(Path, provider, branch => branch.Use((context, next) => guard.InvokeAsync(context, next)), null)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
    }
}
