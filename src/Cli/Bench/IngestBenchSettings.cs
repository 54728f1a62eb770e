namespace Fieldlab.Cli.Bench;

/// <summary>The settings of <c>bench ingest</c>; the defaults here are the command line's defaults.</summary>
public sealed record IngestBenchSettings
{
    /// <summary>Rows of the bench rig each load publishes (one row is one point).</summary>
    public long Rows { get; init; } = 1_000_000;

    /// <summary>Rows per MQTT message.</summary>
    public int Batch { get; init; } = 500;

    /// <summary>Sensors (values) per row.</summary>
    public int Sensors { get; init; } = 6;

    /// <summary>Points per line-protocol batch in the database ceiling.</summary>
    public int DatabaseBatch { get; init; } = 5000;

    /// <summary>Concurrent writers in the database ceiling.</summary>
    public int DatabaseWriters { get; init; } = 4;

    /// <summary>How long the paced, live-stamped load of the latency measurement runs.</summary>
    public double LatencySeconds { get; init; } = 20;

    /// <summary>Rows sent through ingest before (c) is timed, so that (c) measures a warm service (JIT tiers settled, pools
    /// filled) as it runs for months, not its first seconds; 0 to time a cold start.</summary>
    public long WarmupRows { get; init; } = 200_000;

    /// <summary>Ingest's <c>Ingest:Writers</c> during the run.</summary>
    public int IngestWriters { get; init; } = 2;

    /// <summary>Ingest's <c>Ingest:MaxBatchPoints</c> during the run.</summary>
    public int IngestBatch { get; init; } = 5000;
}
