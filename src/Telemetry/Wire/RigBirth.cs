namespace Fieldlab.Telemetry.Wire;

/// <summary>A rig's retained birth message on <c>fieldlab/{site}/{rig}/birth</c>: what it is and what it measures.</summary>
public sealed record RigBirth
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>Rig kind: <c>pump</c>, <c>motor</c>, <c>electrolyser</c>, <c>fuel-cell</c> or <c>other</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Human description, e.g. "Centrifugal pump 7.5 kW on VSD (simulated)".</summary>
    public string? Description { get; init; }

    /// <summary>Id of the gateway that publishes for the rig.</summary>
    public string? Gateway { get; init; }

    /// <summary>When the gateway came online (wire timestamp format).</summary>
    public string? Since { get; init; }

    /// <summary>The rig's streams; each stream is a set of sensors sampled together.</summary>
    public required IReadOnlyList<StreamSpec> Streams { get; init; }

    /// <summary>Faults that can be staged on the rig with <c>cmd/fault</c> (simulated rigs), or null.</summary>
    public IReadOnlyList<FaultInfo>? Faults { get; init; }

    /// <summary>Rig kinds the platform knows.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "pump", "motor", "electrolyser", "fuel-cell", "other" };

    /// <summary>Problems with this birth, or empty. Sensor ids must be unique across all streams of the rig.</summary>
    public IEnumerable<string> Validate()
    {
        if (V != 1) yield return $"v: unsupported version {V}";
        if (!Kinds.Contains(Kind ?? "")) yield return $"kind: '{Kind}' is not one of {string.Join(", ", Kinds)}";
        if (Streams is null || Streams.Count == 0) { yield return "streams: at least one stream is required"; yield break; }
        if (Streams.Count > 32) yield return "streams: at most 32";
        var seenStreams = new HashSet<string>(StringComparer.Ordinal);
        var seenSensors = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Streams.Count; i++)
        {
            var stream = Streams[i];
            var at = $"streams[{i}]";
            if (stream is null) { yield return $"{at}: null"; continue; }
            if (WireNames.ExplainInvalidSensor(stream.Id) is { } badId) yield return $"{at}.id: {badId}";
            else if (!seenStreams.Add(stream.Id)) yield return $"{at}.id: duplicate stream '{stream.Id}'";
            if (!(stream.RateHz > 0 && stream.RateHz <= 100_000)) yield return $"{at}.rate_hz: must be in (0, 100000] (was {stream.RateHz})";
            if (stream.Kind is not (null or "samples" or "waveform")) yield return $"{at}.kind: must be 'samples' or 'waveform' (was '{stream.Kind}')";
            if (stream.IsWaveform && stream.Sensors is { Count: > 3 }) yield return $"{at}.sensors: a waveform stream has 1–3 axes";
            if (stream.Sensors is null || stream.Sensors.Count == 0) { yield return $"{at}.sensors: at least one sensor is required"; continue; }
            if (stream.Sensors.Count > SampleBatchReader.MaxValuesPerRow) yield return $"{at}.sensors: at most {SampleBatchReader.MaxValuesPerRow}";
            for (int j = 0; j < stream.Sensors.Count; j++)
            {
                var sensor = stream.Sensors[j];
                var sat = $"{at}.sensors[{j}]";
                if (sensor is null) { yield return $"{sat}: null"; continue; }
                if (WireNames.ExplainInvalidSensor(sensor.Id) is { } badSensor) yield return $"{sat}.id: {badSensor}";
                else if (!seenSensors.Add(sensor.Id)) yield return $"{sat}.id: sensor '{sensor.Id}' appears twice in the rig";
                if (string.IsNullOrWhiteSpace(sensor.Unit) || sensor.Unit.Length > 32) yield return $"{sat}.unit: 1–32 characters required";
                if (sensor.Min is { } min && sensor.Max is { } max && !(min < max)) yield return $"{sat}: min must be below max";
                if (sensor.Min is { } mn && !double.IsFinite(mn)) yield return $"{sat}.min: must be finite";
                if (sensor.Max is { } mx && !double.IsFinite(mx)) yield return $"{sat}.max: must be finite";
            }
        }
    }

    /// <summary>Finds the stream that carries a sensor, or null.</summary>
    public StreamSpec? StreamOf(string sensor) => Streams.FirstOrDefault(s => s.Sensors.Any(x => x.Id == sensor));
}

/// <summary>A fault a rig can be given by command, and what it does.</summary>
public sealed record FaultInfo(string Id, string Description);

/// <summary>A set of sensors sampled together at one rate; sample batches are per stream.</summary>
public sealed record StreamSpec
{
    /// <summary>Stream id (sensor-id rules).</summary>
    public required string Id { get; init; }

    /// <summary>Nominal sample rate in hertz.</summary>
    public required double RateHz { get; init; }

    /// <summary><c>samples</c> (JSON batches on <c>samples</c>) or <c>waveform</c> (binary frames on <c>waveform</c>;
    /// the sensors are the axes). Absent means <c>samples</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>True for a waveform stream.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsWaveform => Kind == "waveform";

    /// <summary>The stream's sensors.</summary>
    public required IReadOnlyList<SensorSpec> Sensors { get; init; }
}

/// <summary>One sensor: id, unit and measuring range.</summary>
public sealed record SensorSpec
{
    /// <summary>Sensor id, unique within the rig.</summary>
    public required string Id { get; init; }

    /// <summary>Unit (SI or customary, e.g. <c>m3/h</c>, <c>bar</c>, <c>kW</c>, <c>degC</c>, <c>mm/s</c>).</summary>
    public required string Unit { get; init; }

    /// <summary>Lower end of the measuring range, if known.</summary>
    public double? Min { get; init; }

    /// <summary>Upper end of the measuring range, if known.</summary>
    public double? Max { get; init; }

    /// <summary>What the sensor measures and where.</summary>
    public string? Description { get; init; }
}
