using System.Text.Json;
using Fieldlab.Api.Alerts;
using Fieldlab.Api.Export;
using Fieldlab.Api.Faults;
using Fieldlab.Api.Health;
using Fieldlab.Api.Latest;
using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api;

/// <summary>Wires the API: options (sections <c>Mqtt</c>, <c>Influx</c>), the rig directory listener, the resources.</summary>
public static class ApiHost
{
    /// <summary>Registers the API's services.</summary>
    public static WebApplicationBuilder AddFieldlabApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTelemetryClients(builder.Configuration);
        services.AddSingleton<SeriesReader>();
        services.AddSingleton<RigDirectoryListener>();
        services.AddHostedService(sp => sp.GetRequiredService<RigDirectoryListener>());
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });
        return builder;
    }

    /// <summary>Maps every resource.</summary>
    public static WebApplication MapFieldlabApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapRigsApi();
        app.MapExportApi();
        app.MapFaultsApi();
        app.MapLatestApi();
        app.MapAlertsApi();
        app.MapHealthApi();
        return app;
    }
}
