using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Gateway.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway;

/// <summary>Wires the gateway: one <see cref="RigGateway"/> per configuration file.</summary>
public static class GatewayHost
{
    /// <summary>Adds a rig gateway for each configuration.</summary>
    public static IHostApplicationBuilder AddGateways(this IHostApplicationBuilder builder, IReadOnlyList<GatewayConfig> configs)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        foreach (var config in configs)
        {
            builder.Services.AddSingleton<IHostedService>(services => new RigGateway(
                config, CreateRig(config), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<RigGateway>>()));
        }
        return builder;
    }

    /// <summary>The simulated rig a configuration asks for.</summary>
    public static ISimulatedRig CreateRig(GatewayConfig config) => config.Simulation!.Kind switch
    {
        "pump" => new PumpRig(config.Simulation.Seed, config.Simulation.RateHz),
        var kind => throw new GatewayConfigException($"simulation.kind: '{kind}' is not supported"),
    };
}
