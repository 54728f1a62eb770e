namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Envelope analysis for bearing diagnostics: band-pass around the structural resonance the impacts excite,
/// analytic signal by FFT Hilbert transform, envelope, and the amplitude spectrum of the mean-removed envelope, in
/// which bearing defects show at their defect frequencies (Randall &amp; Antoni, MSSP 25 (2011), §3).</summary>
/// <remarks>Power-of-two windows; allocation-free after construction; one instance per thread.</remarks>
public sealed class EnvelopeSpectrum
{
    private readonly ButterworthBandPass _bandPass;
    private readonly AnalyticEnvelope _analytic;
    private readonly double[] _envelope;
    private readonly AmplitudeSpectrum _spectrum;

    /// <summary>Prepares envelope spectra of <paramref name="length"/>-sample windows with a band-pass of the given edges.</summary>
    public EnvelopeSpectrum(int length, double sampleRateHz, double bandLowHz, double bandHighHz)
    {
        _bandPass = new ButterworthBandPass(bandLowHz, bandHighHz, sampleRateHz);
        _analytic = new AnalyticEnvelope(length);
        _envelope = new double[length];
        _spectrum = new AmplitudeSpectrum(length, sampleRateHz);
    }

    /// <summary>Bin spacing.</summary>
    public double BinHz => _spectrum.BinHz;

    /// <summary>The envelope of the last window (mean removed).</summary>
    public ReadOnlySpan<double> Envelope => _envelope;

    /// <summary>Amplitudes of the last envelope spectrum, bins 0 … N/2.</summary>
    public double[] Amplitudes => _spectrum.Amplitudes;

    /// <summary>Computes the envelope spectrum of one window; returns the amplitudes of bins 0 … N/2.</summary>
    public double[] Compute(ReadOnlySpan<double> window)
    {
        _bandPass.Filter(window, _envelope);
        _analytic.Compute(_envelope, _envelope);
        return _spectrum.Compute(_envelope);
    }

    /// <summary>Largest envelope amplitude within ±1 bin of a frequency (after <see cref="Compute"/>).</summary>
    public double AmplitudeAt(double frequencyHz) => _spectrum.AmplitudeNear(frequencyHz, 1);

    /// <summary>Frequency of the largest envelope amplitude in a range.</summary>
    public double PeakFrequency(double fromHz, double toHz) => _spectrum.PeakFrequency(fromHz, toHz);
}
