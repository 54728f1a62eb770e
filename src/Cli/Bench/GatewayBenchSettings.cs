namespace Fieldlab.Cli.Bench;

/// <summary>The settings of <c>bench gateway</c>; the defaults here are the command line's defaults.</summary>
public sealed record GatewayBenchSettings
{
    /// <summary>Rows of the replayed recording.</summary>
    public int Rows { get; init; } = 300_000;

    /// <summary>Sensors (columns) per row.</summary>
    public int Sensors { get; init; } = 8;

    /// <summary>Rows per published message.</summary>
    public int Batch { get; init; } = 500;
}
