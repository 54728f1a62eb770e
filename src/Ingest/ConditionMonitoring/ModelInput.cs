using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>Data stored by ingest and handed to the models (copies: the consuming loop reuses its buffers).</summary>
public abstract record ModelInput(RigAddress Rig, string Kind);

/// <summary>Rows of one scalar stream: times (ns) and values in the order of <paramref name="Sensors"/> (NaN = absent).</summary>
public sealed record ScalarRows(RigAddress Rig, string Kind, string Stream, string[] Sensors, long[] Times, double[][] Rows) : ModelInput(Rig, Kind);

/// <summary>One waveform frame as stored.</summary>
public sealed record VibrationFrame(RigAddress Rig, string Kind, WaveformFrame Frame) : ModelInput(Rig, Kind);

/// <summary>A request to forget a rig's baselines and learn new ones from the data that follows.</summary>
public sealed record RebaselineRequest(RigAddress Rig) : ModelInput(Rig, "");
