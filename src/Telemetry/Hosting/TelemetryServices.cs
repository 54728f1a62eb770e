using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fieldlab.Telemetry.Hosting;

/// <summary>The service defaults every Fieldlab service shares: validated <c>Mqtt</c> and <c>Influx</c> options,
/// the InfluxDB client, the rig directory and the clock.</summary>
public static class TelemetryServices
{
    /// <summary>Registers the shared clients and options.</summary>
    public static IServiceCollection AddTelemetryClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MqttConnectionOptions>(configuration, "Mqtt").PostConfigure(o => o.LoadPasswordFile());
        services.AddValidatedOptions<InfluxOptions>(configuration, "Influx").PostConfigure(o => o.LoadPasswordFile());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RigDirectory>();
        services.AddSingleton(sp => new InfluxClient(sp.GetRequiredService<IOptions<InfluxOptions>>().Value, sp.GetRequiredService<ILogger<InfluxClient>>()));
        return services;
    }
}
