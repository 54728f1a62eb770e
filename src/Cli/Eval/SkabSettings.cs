namespace Fieldlab.Cli.Eval;

/// <summary>The settings of <c>eval skab DIR</c>; the defaults here are the command line's defaults (SKAB's protocol).</summary>
/// <param name="Directory">The folder searched (recursively) for SKAB-format files.</param>
internal sealed record SkabSettings(string Directory)
{
    /// <summary>Rows at the start of each file that fit the detector.</summary>
    public int TrainRows { get; init; } = 400;

    /// <summary>Consecutive outlying rows that raise an alarm.</summary>
    public int Raise { get; init; } = 3;

    /// <summary>Consecutive normal rows that clear it.</summary>
    public int Clear { get; init; } = 10;

    /// <summary>NAB's window to the right of each true change point, in seconds.</summary>
    public double NabWindowSeconds { get; init; } = 60;

    /// <summary>The training-score quantile that sets each detector's threshold.</summary>
    public double Quantile { get; init; } = 0.99;

    /// <summary>The factor on that threshold.</summary>
    public double Margin { get; init; } = 1.0;
}
