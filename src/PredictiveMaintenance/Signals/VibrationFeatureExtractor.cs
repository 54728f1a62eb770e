namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Computes the 26 <see cref="VibrationFeatures"/> of vibration windows: time-domain statistics, Hann amplitude
/// spectrum with band energies and 1×/2× amplitudes, and the envelope spectrum at the bearing defect frequencies.</summary>
/// <remarks>
/// Exactly the workload of ../shared/bench/features-ref (its README defines every step; the checks in
/// VibrationFeatureExtractorTests hold this code to its sums at 1e-12). Allocation-free after construction: every buffer is
/// owned here, so keep one instance per thread. Envelope analysis after Randall &amp; Antoni, MSSP 25 (2011), §3:
/// band-pass around the resonance, analytic signal by FFT Hilbert transform (Marple, IEEE Trans. SP 47 (1999)),
/// modulus, mean removed, Hann amplitude spectrum.
/// </remarks>
public sealed class VibrationFeatureExtractor
{
    private readonly int _n;
    private readonly int[] _bandStart;
    private readonly int _shaft1, _shaft2;
    private readonly int[] _envelopeBins;
    private readonly ButterworthBandPass _bandPass;
    private readonly AmplitudeSpectrum _spectrum;
    private readonly AnalyticEnvelope _analytic;
    private readonly double[] _envelope;

    /// <summary>Prepares windows described by <paramref name="settings"/>.</summary>
    public VibrationFeatureExtractor(VibrationFeatureSettings settings)
    {
        settings.Validate();
        Settings = settings;
        int n = _n = settings.WindowLength;
        _spectrum = new AmplitudeSpectrum(n, settings.SampleRateHz);
        double df = _spectrum.BinHz;
        _bandStart = [.. settings.BandEdgesHz.Select(e => Math.Min(n / 2 + 1, (int)Math.Ceiling(e / df)))];
        _shaft1 = _spectrum.BinOf(settings.ShaftHz);
        _shaft2 = _spectrum.BinOf(2 * settings.ShaftHz);
        var b = settings.Bearing;
        _envelopeBins = [.. new[] { b.Bpfo, b.Bpfi, b.Bsf, b.Ftf, 2 * b.Bpfo, 2 * b.Bpfi, 2 * b.Bsf, 2 * b.Ftf }.Select(_spectrum.BinOf)];
        _bandPass = new ButterworthBandPass(settings.EnvelopeLowHz, settings.EnvelopeHighHz, settings.SampleRateHz);
        _analytic = new AnalyticEnvelope(n);
        _envelope = new double[n];
    }

    /// <summary>The machine and measurement this extractor was built for.</summary>
    public VibrationFeatureSettings Settings { get; }

    /// <summary>The envelope spectrum of the last window (bins 0 … N/2), for plots and peak search.</summary>
    public ReadOnlySpan<double> LastEnvelopeSpectrum => _spectrum.Amplitudes;

    /// <summary>Velocity RMS (10 Hz – 1 kHz) of the last window, integrated from its spectrum, in the input's length unit
    /// per second (×1000 for m/s² input gives mm/s; see <see cref="VibrationSeverity"/>).</summary>
    public double LastVelocityRms { get; private set; }

    /// <summary>Fills <paramref name="features"/> (length ≥ 26, indexed as <see cref="VibrationFeatures"/>) from one window.</summary>
    public void Extract(ReadOnlySpan<double> window, Span<double> features)
    {
        if (window.Length != _n) throw new ArgumentException($"Expected a window of {_n} samples (got {window.Length}).", nameof(window));
        if (features.Length < VibrationFeatures.Count) throw new ArgumentException($"Need room for {VibrationFeatures.Count} features.", nameof(features));

        var time = TimeDomainFeatures.Compute(window);
        features[VibrationFeatures.Rms] = time.Rms;
        features[VibrationFeatures.Peak] = time.Peak;
        features[VibrationFeatures.PeakToPeak] = time.PeakToPeak;
        features[VibrationFeatures.Crest] = time.Crest;
        features[VibrationFeatures.Kurtosis] = time.Kurtosis;
        features[VibrationFeatures.Skewness] = time.Skewness;
        features[VibrationFeatures.Shape] = time.Shape;
        features[VibrationFeatures.Impulse] = time.Impulse;

        var amplitude = _spectrum.Compute(window);
        for (int band = 0; band < VibrationFeatures.Bands; band++)
        {
            double energy = 0;
            for (int k = _bandStart[band]; k < _bandStart[band + 1]; k++) energy += amplitude[k] * amplitude[k];
            features[VibrationFeatures.Band0 + band] = energy;
        }
        LastVelocityRms = VibrationSeverity.VelocityRms(amplitude, _spectrum.BinHz);
        features[VibrationFeatures.Shaft1X] = amplitude[_shaft1];
        features[VibrationFeatures.Shaft2X] = amplitude[_shaft2];

        _bandPass.Filter(window, _envelope);
        _analytic.Compute(_envelope, _envelope);
        amplitude = _spectrum.Compute(_envelope);
        for (int i = 0; i < _envelopeBins.Length; i++)
        {
            int k = _envelopeBins[i];
            features[VibrationFeatures.EnvBpfo + i] = Math.Max(Math.Max(amplitude[k - 1], amplitude[k]), amplitude[k + 1]);
        }
    }
}
