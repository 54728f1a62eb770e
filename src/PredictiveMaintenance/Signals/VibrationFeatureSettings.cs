using Fieldlab.PredictiveMaintenance.Bearings;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>What a <see cref="VibrationFeatureExtractor"/> needs to know about the machine and the measurement.</summary>
/// <param name="SampleRateHz">Sample rate of the vibration channel.</param>
/// <param name="WindowLength">Samples per window (a power of two, ≥ 64).</param>
/// <param name="ShaftHz">Running speed; the 1× and 2× amplitudes are read at it.</param>
/// <param name="Bearing">Defect frequencies of the monitored bearing at that speed.</param>
/// <param name="EnvelopeLowHz">Lower edge of the envelope band-pass (the structural resonance band the impacts excite).</param>
/// <param name="EnvelopeHighHz">Upper edge of the envelope band-pass.</param>
/// <param name="BandEdgesHz">Nine edges of the eight energy bands (ascending, below Nyquist).</param>
public sealed record VibrationFeatureSettings(
    double SampleRateHz,
    int WindowLength,
    double ShaftHz,
    DefectFrequencies Bearing,
    double EnvelopeLowHz,
    double EnvelopeHighHz,
    IReadOnlyList<double> BandEdgesHz)
{
    /// <summary>Eight log-spaced bands from 10 Hz to 10 kHz, edges 10·1000^(i/8) Hz (those of features-ref).</summary>
    public static IReadOnlyList<double> DecadeBands { get; } = [.. Enumerable.Range(0, 9).Select(i => 10 * Math.Pow(1000, i / 8.0))];

    /// <summary>Nine log-spaced band edges from <paramref name="fromHz"/> to <paramref name="toHz"/>.</summary>
    public static IReadOnlyList<double> LogBands(double fromHz, double toHz) =>
        [.. Enumerable.Range(0, 9).Select(i => fromHz * Math.Pow(toHz / fromHz, i / 8.0))];

    /// <summary>Settings for a machine measured at any rate: the envelope band is kept below 0.45 × the sample rate
    /// (and its lower edge below half the upper), the energy bands run from 10 Hz to 0.45 × the sample rate.</summary>
    public static VibrationFeatureSettings ForRate(double sampleRateHz, int windowLength, double shaftHz, DefectFrequencies bearing, double envelopeLowHz, double envelopeHighHz)
    {
        double high = Math.Min(envelopeHighHz, 0.45 * sampleRateHz);
        double low = Math.Min(envelopeLowHz, 0.5 * high);
        return new(sampleRateHz, windowLength, shaftHz, bearing, low, high, LogBands(10, 0.45 * sampleRateHz));
    }

    /// <summary>The workload of ../shared/bench/features-ref: 25.6 kHz, 32,768-sample windows, shaft 29.95 Hz, its defect
    /// frequencies, a 2–8 kHz envelope band.</summary>
    public static VibrationFeatureSettings Reference { get; } = new(
        25_600, 32_768, 29.95, new DefectFrequencies(Bpfo: 107.36, Bpfi: 162.19, Bsf: 141.17, Ftf: 11.93), 2000, 8000, DecadeBands);

    /// <summary>Throws a clear error when the settings cannot describe a window.</summary>
    public void Validate()
    {
        if (!(SampleRateHz > 0) || !double.IsFinite(SampleRateHz)) throw new ArgumentException($"Sample rate must be positive (got {SampleRateHz}).");
        if (WindowLength < 64 || !ComplexFft.Supports(WindowLength)) throw new ArgumentException($"Window length must be a power of two ≥ 64 (got {WindowLength}).");
        double nyquist = SampleRateHz / 2;
        if (!(ShaftHz > 0) || 2 * ShaftHz >= nyquist) throw new ArgumentException($"Shaft speed {ShaftHz} Hz must be positive and 2× below Nyquist ({nyquist} Hz).");
        foreach (var f in new[] { Bearing.Bpfo, Bearing.Bpfi, Bearing.Bsf, Bearing.Ftf })
            if (!(f > 0) || 2 * f >= nyquist) throw new ArgumentException($"Bearing defect frequency {f} Hz must be positive and 2× below Nyquist.");
        if (!(EnvelopeLowHz > 0 && EnvelopeLowHz < EnvelopeHighHz && EnvelopeHighHz < nyquist))
            throw new ArgumentException($"Envelope band {EnvelopeLowHz}–{EnvelopeHighHz} Hz must lie inside (0, {nyquist}) Hz.");
        if (BandEdgesHz.Count != VibrationFeatures.Bands + 1) throw new ArgumentException($"Need {VibrationFeatures.Bands + 1} band edges (got {BandEdgesHz.Count}).");
        for (int i = 0; i < BandEdgesHz.Count; i++)
            if (!(BandEdgesHz[i] >= 0) || BandEdgesHz[i] > nyquist || (i > 0 && BandEdgesHz[i] <= BandEdgesHz[i - 1]))
                throw new ArgumentException("Band edges must be ascending and within 0 … Nyquist.");
    }
}
