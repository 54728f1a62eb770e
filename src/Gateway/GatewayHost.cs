using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Monitoring;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Electrolyser;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway;

/// <summary>Wires the gateway process: one <see cref="RigGateway"/> per configuration file, and their Prometheus
/// metrics (<see cref="GatewayMeter"/>) on <c>--Metrics:Listen</c> when given.</summary>
public static class GatewayHost
{
    /// <summary>Adds a rig gateway for each configuration; two configurations may not share a gateway id or buffer.</summary>
    public static IHostApplicationBuilder AddGateways(this IHostApplicationBuilder builder, IReadOnlyList<GatewayConfig> configs)
    {
        var ids = configs.GroupBy(c => c.GatewayId).FirstOrDefault(g => g.Count() > 1);
        if (ids is not null) throw new GatewayConfigException($"gateway: '{ids.Key}' is used by more than one configuration");
        var dirs = configs.GroupBy(c => Path.GetFullPath(c.Buffer.Dir ?? Path.Combine("buffer", c.GatewayId))).FirstOrDefault(g => g.Count() > 1);
        if (dirs is not null) throw new GatewayConfigException($"buffer.dir: '{dirs.Key}' is used by more than one configuration");

        builder.Services.AddSingleton(TimeProvider.System);
        // The host's default 30 s shutdown timeout would cut the drain short: allow the longest drain plus a margin.
        var drain = configs.Max(c => c.Delivery.DrainOnStop);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain + TimeSpan.FromSeconds(15));
        builder.Services.AddValidatedOptions<MetricsOptions>(builder.Configuration, "Metrics");
        builder.Services.AddPrometheusMetrics(builder.Configuration, GatewayMeter.Name);
        builder.Services.AddSingleton<GatewayMeter>();
        builder.Services.AddHostedService<MetricsServer>();
        for (int i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var rig = CreateRig(config);
            if (rig is not null)
            {
                var unknown = config.Faults.FirstOrDefault(f => rig.Faults.All(k => k.Id != f.Fault));
                if (unknown is not null) throw new GatewayConfigException($"faults: the {rig.Kind} rig has no fault '{unknown.Fault}' (it has: {string.Join(", ", rig.Faults.Select(f => f.Id))})");
            }
            // Registered as RigGateway too, so that the meter finds every rig gateway without asking for the hosted services.
            builder.Services.AddSingleton(services => new RigGateway(
                config, rig, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<RigGateway>>()));
            int index = i;
            builder.Services.AddSingleton<IHostedService>(services => services.GetServices<RigGateway>().ElementAt(index));
        }
        return builder;
    }

    /// <summary>The simulated rig a configuration asks for, or null for a replay.</summary>
    public static ISimulatedRig? CreateRig(GatewayConfig config)
    {
        if (config.Simulation is not { } sim) return null;
        return sim.Kind switch
        {
            "pump" => new PumpRig(sim.Seed, sim.RateHz),
            "motor" => new MotorRig(sim.Seed, sim.RateHz, sim.WaveformRateHz, sim.WaveformAxes),
            "electrolyser" => new ElectrolyserRig(sim.Seed, sim.RateHz, new ElectrolyserParameters
            {
                TimeAcceleration = sim.TimeAcceleration,
                DegradationMicrovoltsPerHour = sim.DegradationUvPerH ?? new ElectrolyserParameters().DegradationMicrovoltsPerHour,
            }),
            "fuel-cell" => new FuelCellRig(sim.Seed, sim.RateHz, new FuelCellParameters
            {
                Profile = sim.Profile,
                TimeAcceleration = sim.TimeAcceleration,
                DegradationMicrovoltsPerHour = sim.DegradationUvPerH ?? new FuelCellParameters().DegradationMicrovoltsPerHour,
            }),
            var kind => throw new GatewayConfigException($"simulation.kind: '{kind}' is not supported"),
        };
    }
}
