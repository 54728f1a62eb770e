namespace Fieldlab.Cli.Eval;

/// <summary>The settings of <c>eval cmapss DIR</c>; the defaults here are the command line's defaults.</summary>
/// <param name="Directory">The folder with train_FD00x.txt, test_FD00x.txt and RUL_FD00x.txt.</param>
internal sealed record CmapssSettings(string Directory)
{
    /// <summary>The C-MAPSS subset, FD001 … FD009.</summary>
    public string Subset { get; init; } = "FD001";

    /// <summary>Boosting rounds of the regressor; 0: depth and rounds by cross-validation.</summary>
    public int Trees { get; init; }
}
