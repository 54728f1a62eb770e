using System.Numerics;
using System.Runtime.Intrinsics;
using MathNet.Numerics.IntegralTransforms;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Forward real FFT and inverse complex FFT of one fixed, even length, with reusable scratch buffers.
/// The one seam behind which the FFT implementation lives.</summary>
/// <remarks>
/// Unnormalised, like FFTW: forward X[k] = Σ x[n]·e^(−2πikn/N); inverse without the 1/N. Not thread-safe: one instance
/// per thread. Power-of-two lengths (every window the platform uses) run on Fieldlab's own <see cref="ComplexFft"/>:
/// the real transform is a half-length complex one of z[m] = x[2m] + i·x[2m+1], untangled afterwards
/// (Press et al., "Numerical Recipes", 3rd ed., §12.3.2). <c>./fieldlab bench features</c> measures it against
/// MathNet.Numerics, which still serves every other even length.
/// </remarks>
public sealed class RealFft
{
    private readonly ComplexFft? _half;
    private readonly double[] _zr = [], _zi = [];
    private readonly double[] _cos = [], _sin = [];
    private ComplexFft? _full;
    private double[] _real = [];
    private Complex[] _complex = [];

    /// <summary>Prepares transforms of length <paramref name="length"/> (even, ≥ 2).</summary>
    public RealFft(int length)
    {
        if (length < 2 || length % 2 != 0) throw new ArgumentOutOfRangeException(nameof(length), "The FFT length must be even and at least 2.");
        Length = length;
        int m = length / 2;
        if (ComplexFft.Supports(m) && m >= 8)
        {
            _half = new ComplexFft(m);
            _zr = new double[m];
            _zi = new double[m];
            _cos = new double[m];
            _sin = new double[m];
            for (int k = 0; k < m; k++) (_sin[k], _cos[k]) = Math.SinCos(-2 * Math.PI * k / length);
        }
    }

    /// <summary>Transform length N.</summary>
    public int Length { get; }

    /// <summary>Whether this length runs on Fieldlab's own FFT rather than MathNet's.</summary>
    public bool IsNative => _half is not null;

    /// <summary>Forward transform of N real samples into N/2 + 1 complex bins (0 … Nyquist).</summary>
    public void Forward(ReadOnlySpan<double> input, Span<Complex> bins)
    {
        if (bins.Length < Length / 2 + 1) throw new ArgumentException($"Need {Length / 2 + 1} bins.", nameof(bins));
        Span<double> re = new double[Length / 2 + 1], im = new double[Length / 2 + 1];
        Forward(input, re, im);
        for (int k = 0; k <= Length / 2; k++) bins[k] = new Complex(re[k], im[k]);
    }

    /// <summary>Forward transform into split bins: <paramref name="re"/> and <paramref name="im"/> receive bins 0 … N/2.</summary>
    public void Forward(ReadOnlySpan<double> input, Span<double> re, Span<double> im) => ForwardWindowed(input, default, re, im);

    /// <summary>Forward transform of input·window (an empty window means none), into split bins 0 … N/2.</summary>
    public void ForwardWindowed(ReadOnlySpan<double> input, ReadOnlySpan<double> window, Span<double> re, Span<double> im)
    {
        int n = Length, m = n / 2;
        if (input.Length != n) throw new ArgumentException($"Expected {n} samples.", nameof(input));
        if (!window.IsEmpty && window.Length != n) throw new ArgumentException($"Expected a window of {n} samples.", nameof(window));
        if (re.Length < m + 1 || im.Length < m + 1) throw new ArgumentException($"Need {m + 1} bins.");
        if (_half is null)
        {
            ForwardWithMathNet(input, window, re, im);
            return;
        }
        var zr = _zr.AsSpan();
        var zi = _zi.AsSpan();
        if (window.IsEmpty)
        {
            for (int i = 0; i < m; i++) { zr[i] = input[2 * i]; zi[i] = input[2 * i + 1]; }
        }
        else
        {
            for (int i = 0; i < m; i++) { zr[i] = input[2 * i] * window[2 * i]; zi[i] = input[2 * i + 1] * window[2 * i + 1]; }
        }
        _half.Forward(zr, zi);
        Untangle(re, im);
    }

    // X[k] = E[k] + W^k·(−i)·O[k] with E = (Z[k] + conj Z[M−k])/2, O = (Z[k] − conj Z[M−k])/2, W = e^(−2πi/N).
    private void Untangle(Span<double> re, Span<double> im)
    {
        int m = Length / 2;
        var zr = _zr.AsSpan();
        var zi = _zi.AsSpan();
        re[0] = zr[0] + zi[0]; im[0] = 0;
        re[m] = zr[0] - zi[0]; im[m] = 0;
        var half = Vector256.Create(0.5);
        var reverse = Vector256.Create(3L, 2, 1, 0);
        int k = 1;
        for (; k + 3 <= m - 1; k += 4)
        {
            var akr = ComplexFft.Load(zr, k); var aki = ComplexFft.Load(zi, k);
            var bkr = Vector256.Shuffle(ComplexFft.Load(zr, m - k - 3), reverse);
            var bki = Vector256.Shuffle(ComplexFft.Load(zi, m - k - 3), reverse);
            var er = (akr + bkr) * half; var ei = (aki - bki) * half;
            var or = (akr - bkr) * half; var oi = (aki + bki) * half;
            var c = ComplexFft.Load(_cos, k); var s = ComplexFft.Load(_sin, k);
            ComplexFft.Store(re, k, er + c * oi + s * or);
            ComplexFft.Store(im, k, ei + s * oi - c * or);
        }
        for (; k < m; k++)
        {
            double er = (zr[k] + zr[m - k]) * 0.5, ei = (zi[k] - zi[m - k]) * 0.5;
            double or = (zr[k] - zr[m - k]) * 0.5, oi = (zi[k] + zi[m - k]) * 0.5;
            re[k] = er + _cos[k] * oi + _sin[k] * or;
            im[k] = ei + _sin[k] * oi - _cos[k] * or;
        }
    }

    /// <summary>Inverse complex transform of N bins, in place, unnormalised.</summary>
    public void InverseComplex(Span<Complex> data)
    {
        if (data.Length != Length) throw new ArgumentException($"Expected {Length} values.", nameof(data));
        if (ComplexFft.Supports(Length))
        {
            Span<double> re = new double[Length], im = new double[Length];
            for (int i = 0; i < Length; i++) { re[i] = data[i].Real; im[i] = data[i].Imaginary; }
            InverseComplex(re, im);
            for (int i = 0; i < Length; i++) data[i] = new Complex(re[i], im[i]);
            return;
        }
        if (_complex.Length != Length) _complex = new Complex[Length];
        data.CopyTo(_complex);
        Fourier.Inverse(_complex, FourierOptions.NoScaling);
        _complex.CopyTo(data);
    }

    /// <summary>Inverse complex transform of N split values in place, unnormalised (power-of-two lengths).</summary>
    public void InverseComplex(Span<double> re, Span<double> im)
    {
        if (!ComplexFft.Supports(Length)) throw new InvalidOperationException($"The split inverse needs a power-of-two length (this one is {Length}).");
        _full ??= new ComplexFft(Length);
        _full.Inverse(re, im);
    }

    private void ForwardWithMathNet(ReadOnlySpan<double> input, ReadOnlySpan<double> window, Span<double> re, Span<double> im)
    {
        int n = Length;
        if (_real.Length != n + 2) _real = new double[n + 2];
        for (int i = 0; i < n; i++) _real[i] = window.IsEmpty ? input[i] : input[i] * window[i];
        _real[n] = 0;
        _real[n + 1] = 0;
        Fourier.ForwardReal(_real, n, FourierOptions.NoScaling);
        for (int k = 0; k <= n / 2; k++) { re[k] = _real[2 * k]; im[k] = _real[2 * k + 1]; }
    }
}
