namespace Fieldlab.Cli.Bench;

/// <summary>The settings of <c>bench datasets</c>; the defaults here are the command line's defaults.</summary>
public sealed record DatasetBenchSettings
{
    /// <summary>Recorded history of the four demo rigs' scalar streams, frozen in one dataset.</summary>
    public TimeSpan History { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Recorded history of motor-1's 12.8 kHz, three-axis waveform, frozen in a second dataset (0: skip).</summary>
    public TimeSpan WaveformHistory { get; init; } = TimeSpan.FromHours(1);
}
