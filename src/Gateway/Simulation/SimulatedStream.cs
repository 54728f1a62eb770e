using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Simulation;

/// <summary>One stream of a simulated rig: a fixed set of sensors sampled together at a fixed rate.</summary>
public abstract class SimulatedStream
{
    /// <summary>Stream id.</summary>
    public abstract string Id { get; }

    /// <summary>Sample rate in hertz.</summary>
    public abstract double RateHz { get; }

    /// <summary>The sensors, in the order <see cref="Sample"/> fills values.</summary>
    public abstract IReadOnlyList<SensorSpec> Sensors { get; }

    /// <summary>Advances the simulation to <paramref name="timeNanoseconds"/> (one sample period after the previous
    /// call) and writes one value per sensor. A sensor that has no reading this sample gets NaN and is omitted.</summary>
    public abstract void Sample(long timeNanoseconds, Span<double> values);

    /// <summary>The stream as announced in the birth message.</summary>
    public StreamSpec Describe() => new() { Id = Id, RateHz = RateHz, Sensors = Sensors };
}

/// <summary>A simulated rig: its kind, description and streams.</summary>
public interface ISimulatedRig
{
    /// <summary>Rig kind (birth <c>kind</c>).</summary>
    string Kind { get; }

    /// <summary>Human description for the birth message.</summary>
    string Description { get; }

    /// <summary>The rig's streams.</summary>
    IReadOnlyList<SimulatedStream> Streams { get; }
}
