using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Schema;

namespace Fieldlab.Ingest;

/// <summary>How the ingest service batches, validates and names things (configuration section <c>Ingest</c>).</summary>
public sealed class IngestOptions : IValidatableOptions
{
    /// <summary>Shared-subscription group; replicas in the same group split the load.</summary>
    public string SharedGroup { get; set; } = "ingest";

    /// <summary>Flush a write to InfluxDB when this many points are waiting.</summary>
    public int MaxBatchPoints { get; set; } = 5000;

    /// <summary>Flush at the latest this long after the first waiting point arrived.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How far in the future (gateway clock ahead of ours) a timestamp may be.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Earliest accepted timestamp: older rows are taken for a broken clock.</summary>
    public DateTimeOffset EarliestTimestamp { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How long a batch from a rig without a known birth waits for the birth before it is quarantined.</summary>
    public TimeSpan UnknownRigGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most messages held waiting for a birth; beyond this the oldest are quarantined at once.</summary>
    public int MaxParkedMessages { get; set; } = 10_000;

    /// <summary>How long raw waveform frames are kept (retention policy <c>waveform_raw</c>; InfluxDB's minimum is 1 h).
    /// Their features are kept for good.</summary>
    public TimeSpan WaveformRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long raw samples are kept (retention policy <c>samples_raw</c>; at least 1 day). Their 1-minute and
    /// 1-hour aggregates (<c>means_1m</c>, <c>means_1h</c>) outlive them.</summary>
    public TimeSpan SamplesRetention { get; set; } = FieldlabSchema.SamplesRaw.DefaultDuration!.Value;

    /// <summary>How long the 1-minute aggregates of samples and energy are kept (<c>means_1m</c>).</summary>
    public TimeSpan MinuteMeansRetention { get; set; } = FieldlabSchema.Means1m.DefaultDuration!.Value;

    /// <summary>How long the 1-hour aggregates are kept (<c>means_1h</c>); empty for ever.</summary>
    public TimeSpan? HourMeansRetention { get; set; } = FieldlabSchema.Means1h.DefaultDuration;

    /// <summary>The retention settings these options make.</summary>
    public RetentionSettings Retention => new() { Waveform = WaveformRetention, Samples = SamplesRetention, MinuteMeans = MinuteMeansRetention, HourMeans = HourMeansRetention };

    /// <summary>Backlog messages handled at most per this many live messages while both lanes have work (live first, but
    /// a backlog never starves completely).</summary>
    public int LivePerBacklog { get; set; } = 8;

    /// <summary>Concurrent writes to InfluxDB (it serves each request on one core).</summary>
    public int Writers { get; set; } = 2;

    /// <summary>Where batches wait while InfluxDB is unreachable; default <c>spool/{client id}</c> under the working directory.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Largest spool, MB; when it is full ingest stops consuming (the broker queues for its persistent sessions).</summary>
    public double SpoolMaxMb { get; set; } = 2048;

    /// <summary>Where quarantined messages are kept for listing and replay; default <c>quarantine/{client id}</c>.</summary>
    public string? QuarantineDirectory { get; set; }

    /// <summary>Largest quarantine, MB; beyond it the oldest messages are evicted and counted.</summary>
    public double QuarantineMaxMb { get; set; } = 512;

    /// <summary>How often ingest writes its own statistics to the <c>ingest_stats</c> measurement.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Create the database and its retention policies at start (needs an admin: an InfluxDB without
    /// authentication, or tests). False where ingest holds only a write-only user and <c>./fieldlab up</c> provisions.</summary>
    public bool ProvisionDatabase { get; set; } = true;

    /// <summary>File with the service keys (one per line, mode 0600) that may call <c>/quarantine</c>, <c>/models</c> and
    /// <c>/stats/reset</c>: the API's and the operator's. Without it those endpoints refuse every call.</summary>
    public string? ServiceKeyFile { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SharedGroup) || SharedGroup.IndexOfAny(['/', '+', '#']) >= 0) yield return "SharedGroup: a plain name without '/', '+' or '#'.";
        if (MaxBatchPoints is < 1 or > 100_000) yield return $"MaxBatchPoints: must be 1..100000 (was {MaxBatchPoints}).";
        if (MaxBatchDelay < TimeSpan.FromMilliseconds(1) || MaxBatchDelay > TimeSpan.FromSeconds(30)) yield return "MaxBatchDelay: must be 1 ms..30 s.";
        if (MaxFutureSkew < TimeSpan.Zero) yield return "MaxFutureSkew: must not be negative.";
        if (UnknownRigGrace < TimeSpan.Zero) yield return "UnknownRigGrace: must not be negative.";
        if (MaxParkedMessages < 0) yield return "MaxParkedMessages: must not be negative.";
        foreach (var problem in Retention.Validate()) yield return problem;
        if (LivePerBacklog < 1) yield return "LivePerBacklog: at least 1.";
        if (!(SpoolMaxMb >= 1)) yield return "SpoolMaxMb: at least 1.";
        if (Writers is < 1 or > 16) yield return $"Writers: must be 1..16 (was {Writers}).";
        if (!(QuarantineMaxMb >= 1)) yield return "QuarantineMaxMb: at least 1.";
        if (StatsInterval < TimeSpan.FromSeconds(1)) yield return "StatsInterval: at least 1 s.";
        if (ServiceKeyFile is not null && !File.Exists(ServiceKeyFile)) yield return $"ServiceKeyFile: '{ServiceKeyFile}' does not exist.";
    }
}
