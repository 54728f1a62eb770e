using System.Runtime.Intrinsics;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The envelope of a (band-passed) window: the modulus of its analytic signal, computed with the FFT Hilbert
/// transform, mean removed. Power-of-two lengths; allocation-free after construction; one instance per thread.</summary>
/// <remarks>Analytic signal per Marple, "Computing the discrete-time analytic signal via FFT", IEEE Trans. SP 47 (1999):
/// Z[0] = X[0], Z[k] = 2·X[k] for 0 &lt; k &lt; N/2, Z[N/2] = X[N/2], Z[k] = 0 above; a = IDFT(Z). The mean is summed in
/// four lanes (samples 4m + j), as ../shared/bench/features-ref does.</remarks>
public sealed class AnalyticEnvelope
{
    private readonly RealFft _fft;
    private readonly double[] _re, _im, _zr, _zi;

    /// <summary>Prepares envelopes of <paramref name="length"/>-sample windows (a power of two, ≥ 16).</summary>
    public AnalyticEnvelope(int length)
    {
        if (length < 16 || !ComplexFft.Supports(length))
            throw new ArgumentOutOfRangeException(nameof(length), $"The envelope window must be a power of two ≥ 16 (got {length}).");
        Length = length;
        _fft = new RealFft(length);
        _re = new double[length / 2 + 1];
        _im = new double[length / 2 + 1];
        _zr = new double[length];
        _zi = new double[length];
    }

    /// <summary>Window length N.</summary>
    public int Length { get; }

    /// <summary>Writes the mean-removed envelope of <paramref name="signal"/> into <paramref name="envelope"/> (may be the same span).</summary>
    public void Compute(ReadOnlySpan<double> signal, Span<double> envelope)
    {
        int n = Length, half = n / 2;
        if (signal.Length != n || envelope.Length != n) throw new ArgumentException($"Expected {n} samples in and out.");
        _fft.Forward(signal, _re, _im);
        var zr = _zr.AsSpan();
        var zi = _zi.AsSpan();
        zr[0] = _re[0]; zi[0] = _im[0];
        var two = Vector256.Create(2.0);
        int k = 1;
        for (; k + 4 <= half; k += 4)
        {
            ComplexFft.Store(zr, k, two * ComplexFft.Load(_re, k));
            ComplexFft.Store(zi, k, two * ComplexFft.Load(_im, k));
        }
        for (; k < half; k++) { zr[k] = 2 * _re[k]; zi[k] = 2 * _im[k]; }
        zr[half] = _re[half]; zi[half] = _im[half];
        zr[(half + 1)..].Clear();
        zi[(half + 1)..].Clear();
        _fft.InverseComplex(zr, zi);

        var scale = Vector256.Create(1.0 / n);
        var sum = Vector256<double>.Zero;
        for (int i = 0; i < n; i += 4)
        {
            var r = ComplexFft.Load(zr, i) * scale;
            var im = ComplexFft.Load(zi, i) * scale;
            var e = Vector256.Sqrt(r * r + im * im);
            ComplexFft.Store(envelope, i, e);
            sum += e;
        }
        var mean = Vector256.Create(((sum[0] + sum[1]) + (sum[2] + sum[3])) / n);
        for (int i = 0; i < n; i += 4) ComplexFft.Store(envelope, i, ComplexFft.Load(envelope, i) - mean);
    }
}
