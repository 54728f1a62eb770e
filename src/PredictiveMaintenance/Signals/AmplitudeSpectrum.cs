using System.Numerics;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The single-sided amplitude spectrum of a Hann-windowed signal, scaled so that a bin-centred sine of
/// amplitude A reads A (coherent gain of Hann is ½, hence 4/N inside the band and 2/N at DC and Nyquist).</summary>
public sealed class AmplitudeSpectrum
{
    private readonly RealFft _fft;
    private readonly double[] _windowed;
    private readonly Complex[] _bins;

    /// <summary>Prepares spectra of windows of <paramref name="length"/> samples at <paramref name="sampleRateHz"/>.</summary>
    public AmplitudeSpectrum(int length, double sampleRateHz)
    {
        _fft = new RealFft(length);
        _windowed = new double[length];
        _bins = new Complex[length / 2 + 1];
        SampleRateHz = sampleRateHz;
        Amplitudes = new double[length / 2 + 1];
    }

    /// <summary>Sample rate.</summary>
    public double SampleRateHz { get; }

    /// <summary>Bin spacing fs/N.</summary>
    public double BinHz => SampleRateHz / _fft.Length;

    /// <summary>Amplitudes of bins 0 … N/2 after the last <see cref="Compute"/>.</summary>
    public double[] Amplitudes { get; }

    /// <summary>Computes the spectrum of one window.</summary>
    public double[] Compute(ReadOnlySpan<double> window)
    {
        int n = _fft.Length;
        var w = HannWindow.Periodic(n);
        for (int i = 0; i < n; i++) _windowed[i] = window[i] * w[i];
        _fft.Forward(_windowed, _bins);
        for (int k = 0; k <= n / 2; k++)
        {
            double c = k == 0 || k == n / 2 ? 2.0 / n : 4.0 / n;
            Amplitudes[k] = c * Math.Sqrt(_bins[k].Real * _bins[k].Real + _bins[k].Imaginary * _bins[k].Imaginary);
        }
        return Amplitudes;
    }

    /// <summary>The largest amplitude within ±<paramref name="bins"/> bins of <paramref name="frequencyHz"/>.</summary>
    public double AmplitudeNear(double frequencyHz, int bins = 1)
    {
        int k0 = (int)Math.Round(frequencyHz / BinHz);
        double best = 0;
        for (int k = Math.Max(0, k0 - bins); k <= Math.Min(Amplitudes.Length - 1, k0 + bins); k++) best = Math.Max(best, Amplitudes[k]);
        return best;
    }

    /// <summary>The frequency of the largest amplitude between two frequencies.</summary>
    public double PeakFrequency(double fromHz, double toHz)
    {
        int lo = Math.Max(1, (int)Math.Ceiling(fromHz / BinHz)), hi = Math.Min(Amplitudes.Length - 1, (int)Math.Floor(toHz / BinHz));
        int best = lo;
        for (int k = lo; k <= hi; k++) if (Amplitudes[k] > Amplitudes[best]) best = k;
        return best * BinHz;
    }
}
