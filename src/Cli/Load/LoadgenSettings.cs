namespace Fieldlab.Cli.Load;

/// <summary>The settings of <c>loadgen</c>; the defaults here are the command line's defaults.</summary>
public sealed record LoadgenSettings
{
    /// <summary>The broker's port on 127.0.0.1.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The site of the rig's topic.</summary>
    public string Site { get; init; } = "bench";

    /// <summary>The rig of the rig's topic.</summary>
    public string Rig { get; init; } = "bench-1";

    /// <summary>Rows to publish.</summary>
    public long Rows { get; init; } = 100_000;

    /// <summary>Rows per message.</summary>
    public int Batch { get; init; } = 500;

    /// <summary>Sensors (values) per row.</summary>
    public int Sensors { get; init; } = 6;

    /// <summary>The first row's sequence number.</summary>
    public long StartSeq { get; init; }

    /// <summary>Rows per second; 0: as fast as the broker takes them.</summary>
    public double Rate { get; init; }

    /// <summary>The synthetic timeline's spacing of rows, in ns.</summary>
    public long PeriodNs { get; init; } = 1_000_000;

    /// <summary>Stamp every row with the time it is published (so that ingest can measure end-to-end latency).</summary>
    public bool Live { get; init; }

    /// <summary>The synthetic timeline's first row time (ns since the epoch); null: so that the timeline ends now.</summary>
    public long? StartNs { get; init; }

    /// <summary>Broker user (the bench rig's gateway principal on a secured broker), or null for anonymous.</summary>
    public string? Username { get; init; }

    /// <summary>File with the broker password of <see cref="Username"/>.</summary>
    public string? PasswordFile { get; init; }
}
