using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Forward real FFT and inverse complex FFT of one fixed, even length, with reusable scratch buffers.
/// The one seam behind which the FFT implementation lives.</summary>
/// <remarks>Unnormalised, like FFTW: forward X[k] = Σ x[n]·e^(−2πikn/N); inverse without the 1/N. Not thread-safe:
/// one instance per thread.</remarks>
public sealed class RealFft
{
    private readonly double[] _real;
    private readonly Complex[] _complex;

    /// <summary>Prepares transforms of length <paramref name="length"/> (even, ≥ 2).</summary>
    public RealFft(int length)
    {
        if (length < 2 || length % 2 != 0) throw new ArgumentOutOfRangeException(nameof(length), "The FFT length must be even and at least 2.");
        Length = length;
        _real = new double[length + 2];
        _complex = new Complex[length];
    }

    /// <summary>Transform length N.</summary>
    public int Length { get; }

    /// <summary>Forward transform of N real samples into N/2 + 1 complex bins (0 … Nyquist).</summary>
    public void Forward(ReadOnlySpan<double> input, Span<Complex> bins)
    {
        if (input.Length != Length) throw new ArgumentException($"Expected {Length} samples.", nameof(input));
        if (bins.Length < Length / 2 + 1) throw new ArgumentException($"Need {Length / 2 + 1} bins.", nameof(bins));
        input.CopyTo(_real);
        _real[Length] = 0;
        _real[Length + 1] = 0;
        Fourier.ForwardReal(_real, Length, FourierOptions.NoScaling);
        for (int k = 0; k <= Length / 2; k++) bins[k] = new Complex(_real[2 * k], _real[2 * k + 1]);
    }

    /// <summary>Inverse complex transform of N bins, in place, unnormalised.</summary>
    public void InverseComplex(Span<Complex> data)
    {
        if (data.Length != Length) throw new ArgumentException($"Expected {Length} values.", nameof(data));
        data.CopyTo(_complex);
        Fourier.Inverse(_complex, FourierOptions.NoScaling);
        _complex.CopyTo(data);
    }
}
