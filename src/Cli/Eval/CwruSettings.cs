namespace Fieldlab.Cli.Eval;

/// <summary>The settings of <c>eval cwru</c>; the defaults here are the command line's defaults.</summary>
/// <param name="TrainDirectory">The recordings to train on (and, without <see cref="TestDirectory"/>, to test on).</param>
internal sealed record CwruSettings(string TrainDirectory)
{
    /// <summary>Recordings that only test (e.g. another motor load); null: split each training recording in time.</summary>
    public string? TestDirectory { get; init; }

    /// <summary>The one sample rate every recording is decimated to, in Hz.</summary>
    public double RateHz { get; init; } = 12_000;

    /// <summary>Trees of the classifier's forest.</summary>
    public int Trees { get; init; } = 200;

    /// <summary>Without a test folder, the share of each recording (from its start) that trains.</summary>
    public double TrainShare { get; init; } = 0.7;
}
