namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The 26 features of one vibration window, by index: the layout <see cref="VibrationFeatureExtractor"/> fills,
/// the columns the bearing classifier reads and the fields ingest stores.</summary>
public static class VibrationFeatures
{
    /// <summary>Features per window.</summary>
    public const int Count = 26;

    /// <summary>Energy bands.</summary>
    public const int Bands = 8;

    /// <summary>Index of RMS.</summary>
    public const int Rms = 0;
    /// <summary>Index of max |x|.</summary>
    public const int Peak = 1;
    /// <summary>Index of max − min.</summary>
    public const int PeakToPeak = 2;
    /// <summary>Index of peak / RMS.</summary>
    public const int Crest = 3;
    /// <summary>Index of Pearson kurtosis.</summary>
    public const int Kurtosis = 4;
    /// <summary>Index of skewness.</summary>
    public const int Skewness = 5;
    /// <summary>Index of RMS / mean |x|.</summary>
    public const int Shape = 6;
    /// <summary>Index of peak / mean |x|.</summary>
    public const int Impulse = 7;
    /// <summary>Index of the first band energy (Σ A² over the band).</summary>
    public const int Band0 = 8;
    /// <summary>Index of the amplitude at 1× running speed (imbalance).</summary>
    public const int Shaft1X = 16;
    /// <summary>Index of the amplitude at 2× running speed (misalignment).</summary>
    public const int Shaft2X = 17;
    /// <summary>Index of the envelope amplitude at BPFO (outer race).</summary>
    public const int EnvBpfo = 18;
    /// <summary>Index of the envelope amplitude at BPFI (inner race).</summary>
    public const int EnvBpfi = 19;
    /// <summary>Index of the envelope amplitude at BSF (rolling element).</summary>
    public const int EnvBsf = 20;
    /// <summary>Index of the envelope amplitude at FTF (cage).</summary>
    public const int EnvFtf = 21;
    /// <summary>Index of the envelope amplitude at 2×BPFO; 2×BPFI, 2×BSF and 2×FTF follow.</summary>
    public const int Env2xBpfo = 22;

    /// <summary>Field names, by index (InfluxDB fields and CSV columns).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "rms", "peak", "p2p", "crest", "kurtosis", "skewness", "shape", "impulse",
        "band0", "band1", "band2", "band3", "band4", "band5", "band6", "band7",
        "shaft_1x", "shaft_2x",
        "env_bpfo", "env_bpfi", "env_bsf", "env_ftf", "env_2xbpfo", "env_2xbpfi", "env_2xbsf", "env_2xftf",
    ];
}
