namespace Fieldlab.Cli.Bench;

/// <summary>The settings of <c>bench features</c>; the defaults here are the command line's defaults.</summary>
internal sealed record FeaturesBenchSettings
{
    /// <summary>Rounds, each running the C reference and then the C# port.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Timed passes per program per round.</summary>
    public int Passes { get; init; } = 5;

    /// <summary>The features-ref source folder; null: <c>FIELDLAB_FEATURES_REF</c>, else ../shared/bench/features-ref.</summary>
    public string? ReferenceDirectory { get; init; }
}
