using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Configuration;

/// <summary>One gateway's configuration file (YAML, snake_case keys): which rig it is, where the broker is, what it
/// publishes and how. See deploy/local/gateways/*.yaml.template for annotated examples.</summary>
public sealed class GatewayConfig : IValidatableOptions
{
    /// <summary>Site id (topic segment).</summary>
    public string Site { get; set; } = "";

    /// <summary>Rig id (topic segment).</summary>
    public string Rig { get; set; } = "";

    /// <summary>Gateway id, also the MQTT client id; defaults to <c>gw-{rig}</c>.</summary>
    public string? Gateway { get; set; }

    /// <summary>Broker connection.</summary>
    public BrokerConfig Broker { get; set; } = new();

    /// <summary>The simulated rig this gateway stands in for.</summary>
    public SimulationConfig? Simulation { get; set; }

    /// <summary>How samples are batched and published.</summary>
    public PublishConfig Publish { get; set; } = new();

    /// <summary>The gateway id in effect.</summary>
    public string GatewayId => string.IsNullOrEmpty(Gateway) ? $"gw-{Rig}" : Gateway;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (WireNames.ExplainInvalidSegment(Site) is { } site) yield return $"site: {site}";
        if (WireNames.ExplainInvalidSegment(Rig) is { } rig) yield return $"rig: {rig}";
        if (Gateway is not null && WireNames.ExplainInvalidSegment(Gateway) is { } gw) yield return $"gateway: {gw}";
        if (Broker is null) { yield return "broker: missing"; }
        else foreach (var p in Broker.Validate()) yield return "broker." + p;
        if (Simulation is null) yield return "simulation: a source is required (the only source kind so far is a simulated rig)";
        else foreach (var p in Simulation.Validate()) yield return "simulation." + p;
        if (Publish is null) { yield return "publish: missing"; }
        else foreach (var p in Publish.Validate()) yield return "publish." + p;
    }
}

/// <summary>Where the MQTT broker is and how to log in.</summary>
public sealed class BrokerConfig
{
    /// <summary>Host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>User name, or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password, or null.</summary>
    public string? Password { get; set; }

    /// <summary>CA file for TLS, or null for plain TCP.</summary>
    public string? CaFile { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) yield return "host: required";
        if (Port is < 1 or > 65535) yield return $"port: must be 1..65535 (was {Port})";
        if (Password is not null && Username is null) yield return "password: set without username";
        if (CaFile is not null && !File.Exists(CaFile)) yield return $"ca_file: '{CaFile}' does not exist";
    }
}

/// <summary>Which simulated rig to run.</summary>
public sealed class SimulationConfig
{
    /// <summary>Rig kind: <c>pump</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Seed of the noise and duty cycle; the same seed gives the same data.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Sample rate of the process stream, Hz.</summary>
    public double RateHz { get; set; } = 10;

    /// <summary>Rig kinds this gateway can simulate.</summary>
    public static readonly string[] Kinds = ["pump"];

    internal IEnumerable<string> Validate()
    {
        if (!Kinds.Contains(Kind)) yield return $"kind: '{Kind}' is not one of {string.Join(", ", Kinds)}";
        if (!(RateHz > 0 && RateHz <= 1000)) yield return $"rate_hz: must be in (0, 1000] (was {RateHz})";
    }
}

/// <summary>Batching of published samples.</summary>
public sealed class PublishConfig
{
    /// <summary>How often a batch is published.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most rows per batch message (the ingest limit is 10,000).</summary>
    public int MaxRowsPerBatch { get; set; } = 1000;

    internal IEnumerable<string> Validate()
    {
        if (BatchInterval < TimeSpan.FromMilliseconds(10) || BatchInterval > TimeSpan.FromMinutes(1))
            yield return $"batch_interval: must be 10ms..1m (was {BatchInterval})";
        if (MaxRowsPerBatch is < 1 or > SampleBatchReader.MaxRows) yield return $"max_rows_per_batch: must be 1..{SampleBatchReader.MaxRows}";
    }
}
