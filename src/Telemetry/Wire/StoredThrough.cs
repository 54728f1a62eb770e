namespace Fieldlab.Telemetry.Wire;

/// <summary>Ingest's retained watermark on <c>fieldlab/{site}/{rig}/stored</c>: per stream, the sample time through
/// which every row the gateway created is durably handled (docs/telemetry.md, "Stored through").</summary>
public sealed record StoredThrough
{
    /// <summary>Schema version; 1.</summary>
    public int V { get; init; } = 1;

    /// <summary>When ingest published it (wire timestamp).</summary>
    public required string T { get; init; }

    /// <summary>The streams with a known watermark.</summary>
    public required IReadOnlyList<StreamThrough> Streams { get; init; }
}

/// <summary>One stream's watermark.</summary>
/// <param name="Stream">Stream id.</param>
/// <param name="Through">Every row of the stream with a sample time at or before this (wire timestamp) is stored in
/// InfluxDB or quarantined, or was lost by the gateway and counted.</param>
public sealed record StreamThrough(string Stream, string Through);
