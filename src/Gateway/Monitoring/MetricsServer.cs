using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Fieldlab.Gateway.Monitoring;

/// <summary>A tiny Kestrel serving only <c>/metrics</c> (the gateway process's meter provider, the shared scrape
/// guard) on <see cref="MetricsOptions.Listen"/>; nothing when that is not set.</summary>
public sealed partial class MetricsServer(IOptions<MetricsOptions> options, MeterProvider provider, ScrapeAccess access, GatewayMeter meter,
    ILogger<MetricsServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = meter; // the instruments exist from the first scrape on
        if (options.Value.Listen is not { } listen) return;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listen);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPrometheusMetrics(provider, access);
        await app.StartAsync(cancellationToken);
        _app = app;
        LogListening(listen);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [LoggerMessage(1401, LogLevel.Information, "Prometheus metrics on {Url}/metrics.")]
    private partial void LogListening(string url);
}
