using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Simulation;

/// <summary>One scalar stream of a simulated rig: a fixed set of sensors sampled together at a fixed rate.</summary>
public abstract class SimulatedStream
{
    /// <summary>Stream id.</summary>
    public abstract string Id { get; }

    /// <summary>Sample rate in hertz.</summary>
    public abstract double RateHz { get; }

    /// <summary>The sensors, in the order <see cref="Sample"/> fills values.</summary>
    public abstract IReadOnlyList<SensorSpec> Sensors { get; }

    /// <summary>Advances the simulation to <paramref name="timeNanoseconds"/> (one sample period after the previous
    /// call) and writes one value per sensor. A sensor without a reading this sample gets NaN and is left out.</summary>
    public abstract void Sample(long timeNanoseconds, Span<double> values);

    /// <summary>The stream as announced in the birth message.</summary>
    public StreamSpec Describe() => new() { Id = Id, RateHz = RateHz, Sensors = Sensors };
}

/// <summary>A high-rate stream of a simulated rig (vibration), produced in frames of consecutive samples.</summary>
public abstract class SimulatedWaveform
{
    /// <summary>Stream id.</summary>
    public abstract string Id { get; }

    /// <summary>Sample rate in hertz.</summary>
    public abstract double RateHz { get; }

    /// <summary>Axis sensor ids (1–3).</summary>
    public abstract IReadOnlyList<SensorSpec> Axes { get; }

    /// <summary>Unit of the samples.</summary>
    public abstract string Unit { get; }

    /// <summary>Generates the next <paramref name="count"/> samples of every axis into <paramref name="samples"/>
    /// (axis after axis), continuing where the previous call stopped.</summary>
    public abstract void Generate(Span<float> samples, int count);

    /// <summary>The stream as announced in the birth message.</summary>
    public StreamSpec Describe() => new() { Id = Id, RateHz = RateHz, Sensors = Axes, Kind = "waveform" };
}

/// <summary>A simulated rig: its kind, description, streams, and the faults an instructor can stage on it.</summary>
public interface ISimulatedRig
{
    /// <summary>Rig kind (birth <c>kind</c>).</summary>
    string Kind { get; }

    /// <summary>Human description for the birth message.</summary>
    string Description { get; }

    /// <summary>The rig's scalar streams.</summary>
    IReadOnlyList<SimulatedStream> Streams { get; }

    /// <summary>The rig's high-rate streams (empty for most rigs).</summary>
    IReadOnlyList<SimulatedWaveform> Waveforms => [];

    /// <summary>The faults this rig can show.</summary>
    IReadOnlyList<FaultKind> Faults { get; }

    /// <summary>Sets a fault's severity, 0 (healthy) to 1 (failed).</summary>
    void SetFault(string fault, double severity);
}

/// <summary>A fault a simulated rig can be given, and what it does to the rig.</summary>
public sealed record FaultKind(string Id, string Description);
