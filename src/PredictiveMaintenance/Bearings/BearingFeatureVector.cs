using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Bearings;

/// <summary>The inputs of the bearing classifier: the 26 vibration features turned into quantities that do not depend
/// on the overall vibration level, the sample rate or the running speed, so a model trained on one rig and load can
/// read another.</summary>
/// <remarks>Shape statistics as they are (crest, kurtosis, skewness, shape, impulse); band energies as log shares of
/// the total; 1×/2× relative to RMS; envelope amplitudes at the defect frequencies relative to the mean envelope
/// amplitude up to 10× BPFI (the "prominence" used in envelope diagnostics, Randall &amp; Antoni, MSSP 25 (2011),
/// §3.4). Only log RMS carries the absolute level, which the severity estimate needs.</remarks>
public static class BearingFeatureVector
{
    /// <summary>Length of the vector.</summary>
    public const int Length = 24;

    /// <summary>Names, by index (for reports).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "log_rms", "crest", "log_kurtosis", "skewness", "shape", "impulse",
        "band0_share", "band1_share", "band2_share", "band3_share", "band4_share", "band5_share", "band6_share", "band7_share",
        "shaft_1x_rel", "shaft_2x_rel",
        "env_bpfo_rel", "env_bpfi_rel", "env_bsf_rel", "env_ftf_rel", "env_2xbpfo_rel", "env_2xbpfi_rel", "env_2xbsf_rel", "env_2xftf_rel",
    ];

    /// <summary>Extracts the vector of one window with <paramref name="extractor"/> (whose settings carry the rig's rate,
    /// speed and bearing).</summary>
    public static double[] Describe(VibrationFeatureExtractor extractor, ReadOnlySpan<double> window, Span<double> scratch)
    {
        extractor.Extract(window, scratch);
        var envelope = extractor.LastEnvelopeSpectrum;
        double df = extractor.Settings.SampleRateHz / extractor.Settings.WindowLength;
        int top = Math.Clamp((int)(10 * extractor.Settings.Bearing.Bpfi / df), 2, envelope.Length - 1);
        double reference = 0;
        for (int k = 1; k <= top; k++) reference += envelope[k];
        reference = reference / top + 1e-300;
        const double tiny = 1e-12;
        double rms = scratch[VibrationFeatures.Rms];
        double bands = 0;
        for (int b = 0; b < VibrationFeatures.Bands; b++) bands += scratch[VibrationFeatures.Band0 + b];
        var v = new double[Length];
        v[0] = Math.Log(rms + tiny);
        v[1] = scratch[VibrationFeatures.Crest];
        v[2] = Math.Log(scratch[VibrationFeatures.Kurtosis] + tiny);
        v[3] = scratch[VibrationFeatures.Skewness];
        v[4] = scratch[VibrationFeatures.Shape];
        v[5] = scratch[VibrationFeatures.Impulse];
        for (int b = 0; b < VibrationFeatures.Bands; b++) v[6 + b] = Math.Log(scratch[VibrationFeatures.Band0 + b] / (bands + tiny) + tiny);
        v[14] = Math.Log(scratch[VibrationFeatures.Shaft1X] / (rms + tiny) + tiny);
        v[15] = Math.Log(scratch[VibrationFeatures.Shaft2X] / (rms + tiny) + tiny);
        for (int i = 0; i < 8; i++) v[16 + i] = Math.Log(scratch[VibrationFeatures.EnvBpfo + i] / reference + tiny);
        return v;
    }
}
