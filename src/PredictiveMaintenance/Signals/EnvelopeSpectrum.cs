using System.Numerics;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Envelope analysis for bearing diagnostics: band-pass around the structural resonance the impacts excite,
/// analytic signal by FFT Hilbert transform, envelope, and the amplitude spectrum of the mean-removed envelope, in
/// which bearing defects show at their defect frequencies (Randall &amp; Antoni, MSSP 25 (2011), §3).</summary>
public sealed class EnvelopeSpectrum
{
    private readonly ButterworthBandPass _bandPass;
    private readonly RealFft _fft;
    private readonly double[] _filtered;
    private readonly Complex[] _analytic;
    private readonly double[] _envelope;
    private readonly AmplitudeSpectrum _spectrum;

    /// <summary>Prepares envelope spectra of <paramref name="length"/>-sample windows with a band-pass of the given edges.</summary>
    public EnvelopeSpectrum(int length, double sampleRateHz, double bandLowHz, double bandHighHz)
    {
        _bandPass = new ButterworthBandPass(bandLowHz, bandHighHz, sampleRateHz);
        _fft = new RealFft(length);
        _filtered = new double[length];
        _analytic = new Complex[length];
        _envelope = new double[length];
        _spectrum = new AmplitudeSpectrum(length, sampleRateHz);
    }

    /// <summary>Bin spacing.</summary>
    public double BinHz => _spectrum.BinHz;

    /// <summary>The envelope of the last window (mean removed).</summary>
    public ReadOnlySpan<double> Envelope => _envelope;

    /// <summary>Computes the envelope spectrum of one window; returns the amplitudes of bins 0 … N/2.</summary>
    public double[] Compute(ReadOnlySpan<double> window)
    {
        int n = _fft.Length;
        _bandPass.Filter(window, _filtered);
        // Analytic signal: keep DC and Nyquist, double positive frequencies, zero negative ones, inverse FFT / N.
        _fft.Forward(_filtered, _analytic.AsSpan(0, n / 2 + 1));
        for (int k = 1; k < n / 2; k++) _analytic[k] *= 2;
        _analytic.AsSpan(n / 2 + 1).Clear();
        _fft.InverseComplex(_analytic);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double re = _analytic[i].Real / n, im = _analytic[i].Imaginary / n;
            _envelope[i] = Math.Sqrt(re * re + im * im);
            sum += _envelope[i];
        }
        double mean = sum / n;
        for (int i = 0; i < n; i++) _envelope[i] -= mean;
        return _spectrum.Compute(_envelope);
    }

    /// <summary>Largest envelope amplitude within ±1 bin of a frequency (after <see cref="Compute"/>).</summary>
    public double AmplitudeAt(double frequencyHz) => _spectrum.AmplitudeNear(frequencyHz, 1);

    /// <summary>Frequency of the largest envelope amplitude in a range.</summary>
    public double PeakFrequency(double fromHz, double toHz) => _spectrum.PeakFrequency(fromHz, toHz);
}
