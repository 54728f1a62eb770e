using System.Runtime.Intrinsics;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The single-sided amplitude spectrum of a Hann-windowed signal, scaled so that a bin-centred sine of
/// amplitude A reads A (coherent gain of Hann is ½, hence 4/N inside the band and 2/N at DC and Nyquist).</summary>
/// <remarks>Allocation-free after construction; one instance per thread.</remarks>
public sealed class AmplitudeSpectrum
{
    private readonly RealFft _fft;
    private readonly double[] _window;
    private readonly double[] _scale;
    private readonly double[] _re, _im;

    /// <summary>Prepares spectra of windows of <paramref name="length"/> samples (even) at <paramref name="sampleRateHz"/>.</summary>
    public AmplitudeSpectrum(int length, double sampleRateHz)
    {
        _fft = new RealFft(length);
        _window = HannWindow.Periodic(length);
        SampleRateHz = sampleRateHz;
        int bins = length / 2 + 1;
        _scale = new double[bins];
        for (int k = 0; k < bins; k++) _scale[k] = k == 0 || k == length / 2 ? 2.0 / length : 4.0 / length;
        _re = new double[bins];
        _im = new double[bins];
        Amplitudes = new double[bins];
    }

    /// <summary>Sample rate.</summary>
    public double SampleRateHz { get; }

    /// <summary>Window length N.</summary>
    public int Length => _fft.Length;

    /// <summary>Bin spacing fs/N.</summary>
    public double BinHz => SampleRateHz / _fft.Length;

    /// <summary>Amplitudes of bins 0 … N/2 after the last <see cref="Compute"/>.</summary>
    public double[] Amplitudes { get; }

    /// <summary>Computes the spectrum of one window into <see cref="Amplitudes"/> and returns it.</summary>
    public double[] Compute(ReadOnlySpan<double> window)
    {
        _fft.ForwardWindowed(window, _window, _re, _im);
        int bins = Amplitudes.Length, k = 0;
        for (; k + 4 <= bins; k += 4)
        {
            var r = ComplexFft.Load(_re, k);
            var i = ComplexFft.Load(_im, k);
            ComplexFft.Store(Amplitudes, k, ComplexFft.Load(_scale, k) * Vector256.Sqrt(r * r + i * i));
        }
        for (; k < bins; k++) Amplitudes[k] = _scale[k] * Math.Sqrt(_re[k] * _re[k] + _im[k] * _im[k]);
        return Amplitudes;
    }

    /// <summary>Nearest bin to a frequency, halves away from zero (C's round(), as the reference uses).</summary>
    public int BinOf(double frequencyHz) => (int)Math.Round(frequencyHz / BinHz, MidpointRounding.AwayFromZero);

    /// <summary>The largest amplitude within ±<paramref name="bins"/> bins of <paramref name="frequencyHz"/>.</summary>
    public double AmplitudeNear(double frequencyHz, int bins = 1)
    {
        int k0 = BinOf(frequencyHz);
        double best = 0;
        for (int k = Math.Max(0, k0 - bins); k <= Math.Min(Amplitudes.Length - 1, k0 + bins); k++) best = Math.Max(best, Amplitudes[k]);
        return best;
    }

    /// <summary>Σ A[k]² over bins whose frequency lies in [fromHz, toHz): the energy of a band.</summary>
    public double BandEnergy(double fromHz, double toHz)
    {
        int lo = Math.Min(Amplitudes.Length, (int)Math.Ceiling(fromHz / BinHz)), hi = Math.Min(Amplitudes.Length, (int)Math.Ceiling(toHz / BinHz));
        double energy = 0;
        for (int k = lo; k < hi; k++) energy += Amplitudes[k] * Amplitudes[k];
        return energy;
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
