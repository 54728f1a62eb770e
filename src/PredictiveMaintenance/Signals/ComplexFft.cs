using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Forward complex FFT of one power-of-two length on split arrays (real parts, imaginary parts),
/// unnormalised: X[k] = Σ x[n]·e^(−2πikn/N). Allocation-free after construction; one instance per thread.</summary>
/// <remarks>
/// Stockham autosort, radix 4 with one closing radix-2 pass when log₂N is odd (Van Loan, "Computational Frameworks for
/// the Fast Fourier Transform", SIAM 1992, §1.7; the loop layout of OTFFT's <c>fft0</c>). Autosort means no bit-reversal
/// permutation: every pass reads one buffer and writes the other in order, which keeps the access pattern sequential.
/// Split storage lets <see cref="Vector256{T}"/> hold four complex values with no shuffling in the butterflies. The
/// first pass (stride 1) is vectorised across butterflies and transposes its outputs; the others across the stride.
/// The inverse transform is the forward one with real and imaginary parts exchanged on the way in and out
/// (swap∘DFT∘swap = N·IDFT), so it costs nothing extra.
/// </remarks>
public sealed class ComplexFft
{
    private readonly Pass[] _passes;
    private readonly double[] _workRe;
    private readonly double[] _workIm;

    /// <summary>Prepares transforms of <paramref name="length"/> points (a power of two, ≥ 2).</summary>
    public ComplexFft(int length)
    {
        if (length < 2 || !BitOperations.IsPow2(length))
            throw new ArgumentOutOfRangeException(nameof(length), $"The complex FFT length must be a power of two ≥ 2 (got {length}).");
        Length = length;
        _workRe = new double[length];
        _workIm = new double[length];
        var passes = new List<Pass>();
        int n = length, s = 1;
        while (n >= 4)
        {
            passes.Add(Pass.Radix4(n, s));
            n /= 4;
            s *= 4;
        }
        if (n == 2) passes.Add(Pass.Radix2(s));
        _passes = [.. passes];
    }

    /// <summary>Transform length N.</summary>
    public int Length { get; }

    /// <summary>Whether <paramref name="length"/> is one this class can transform.</summary>
    public static bool Supports(int length) => length >= 2 && BitOperations.IsPow2(length);

    /// <summary>Forward transform in place.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length != Length || im.Length != Length) throw new ArgumentException($"Expected {Length} real and {Length} imaginary parts.");
        Run(re, im);
    }

    /// <summary>Inverse transform in place, unnormalised (multiply by 1/N for the true inverse).</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        if (re.Length != Length || im.Length != Length) throw new ArgumentException($"Expected {Length} real and {Length} imaginary parts.");
        Run(im, re);
    }

    private void Run(Span<double> re, Span<double> im)
    {
        Span<double> xr = re, xi = im, yr = _workRe, yi = _workIm;
        foreach (var pass in _passes)
        {
            pass.Apply(xr, xi, yr, yi);
            var tr = xr; xr = yr; yr = tr;
            var ti = xi; xi = yi; yi = ti;
        }
        // After an odd number of passes the result sits in the work buffers.
        if (_passes.Length % 2 == 1)
        {
            xr.CopyTo(re);
            xi.CopyTo(im);
        }
    }

    /// <summary>One Stockham pass: sub-transform length n, stride s; x[q + s(p + k·n/4)] → y[q + s(4p + k)].</summary>
    private sealed class Pass
    {
        private readonly int _n, _s;
        private readonly bool _radix2;
        // Twiddles W_n^p, W_n^2p, W_n^3p for p = 0 … n/4 − 1 (W_n = e^(−2πi/n)).
        private readonly double[] _w1r = [], _w1i = [], _w2r = [], _w2i = [], _w3r = [], _w3i = [];

        private Pass(int n, int s, bool radix2)
        {
            _n = n;
            _s = s;
            _radix2 = radix2;
            if (radix2) return;
            int quarter = n / 4;
            _w1r = new double[quarter]; _w1i = new double[quarter];
            _w2r = new double[quarter]; _w2i = new double[quarter];
            _w3r = new double[quarter]; _w3i = new double[quarter];
            for (int p = 0; p < quarter; p++)
            {
                // Each power straight from sin/cos rather than by repeated multiplication: the error stays at one ulp.
                (_w1i[p], _w1r[p]) = Math.SinCos(-2 * Math.PI * p / n);
                (_w2i[p], _w2r[p]) = Math.SinCos(-2 * Math.PI * 2 * p / n);
                (_w3i[p], _w3r[p]) = Math.SinCos(-2 * Math.PI * 3 * p / n);
            }
        }

        public static Pass Radix4(int n, int s) => new(n, s, false);

        public static Pass Radix2(int s) => new(2, s, true);

        public void Apply(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            if (_radix2) ApplyRadix2(xr, xi, yr, yi);
            else if (_s >= 4) ApplyAcrossStride(xr, xi, yr, yi);
            else if (_s == 1 && _n >= 16 && Avx.IsSupported) ApplyFirstVectorised(xr, xi, yr, yi);
            else ApplyScalar(xr, xi, yr, yi);
        }

        private void ApplyRadix2(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            int s = _s, q = 0;
            if (s >= 4)
            {
                for (; q <= s - 4; q += 4)
                {
                    var ar = Load(xr, q); var ai = Load(xi, q);
                    var br = Load(xr, q + s); var bi = Load(xi, q + s);
                    Store(yr, q, ar + br); Store(yi, q, ai + bi);
                    Store(yr, q + s, ar - br); Store(yi, q + s, ai - bi);
                }
            }
            for (; q < s; q++)
            {
                double ar = xr[q], ai = xi[q], br = xr[q + s], bi = xi[q + s];
                yr[q] = ar + br; yi[q] = ai + bi;
                yr[q + s] = ar - br; yi[q + s] = ai - bi;
            }
        }

        private void ApplyAcrossStride(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            int s = _s, quarter = _n / 4, n1 = s * quarter;
            for (int p = 0; p < quarter; p++)
            {
                var w1r = Vector256.Create(_w1r[p]); var w1i = Vector256.Create(_w1i[p]);
                var w2r = Vector256.Create(_w2r[p]); var w2i = Vector256.Create(_w2i[p]);
                var w3r = Vector256.Create(_w3r[p]); var w3i = Vector256.Create(_w3i[p]);
                int src = s * p, dst = 4 * s * p;
                for (int q = 0; q < s; q += 4)
                {
                    int a = src + q;
                    Butterfly(
                        Load(xr, a), Load(xi, a), Load(xr, a + n1), Load(xi, a + n1),
                        Load(xr, a + 2 * n1), Load(xi, a + 2 * n1), Load(xr, a + 3 * n1), Load(xi, a + 3 * n1),
                        w1r, w1i, w2r, w2i, w3r, w3i,
                        out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                    int d = dst + q;
                    Store(yr, d, y0r); Store(yi, d, y0i);
                    Store(yr, d + s, y1r); Store(yi, d + s, y1i);
                    Store(yr, d + 2 * s, y2r); Store(yi, d + 2 * s, y2i);
                    Store(yr, d + 3 * s, y3r); Store(yi, d + 3 * s, y3i);
                }
            }
        }

        // Stride 1: four consecutive butterflies per vector, outputs y[4p + k] written as a 4×4 transpose.
        private void ApplyFirstVectorised(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            int quarter = _n / 4;
            for (int p = 0; p < quarter; p += 4)
            {
                Butterfly(
                    Load(xr, p), Load(xi, p), Load(xr, p + quarter), Load(xi, p + quarter),
                    Load(xr, p + 2 * quarter), Load(xi, p + 2 * quarter), Load(xr, p + 3 * quarter), Load(xi, p + 3 * quarter),
                    Load(_w1r, p), Load(_w1i, p), Load(_w2r, p), Load(_w2i, p), Load(_w3r, p), Load(_w3i, p),
                    out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                StoreTransposed(yr, 4 * p, y0r, y1r, y2r, y3r);
                StoreTransposed(yi, 4 * p, y0i, y1i, y2i, y3i);
            }
        }

        private void ApplyScalar(ReadOnlySpan<double> xr, ReadOnlySpan<double> xi, Span<double> yr, Span<double> yi)
        {
            int s = _s, quarter = _n / 4, n1 = s * quarter;
            for (int p = 0; p < quarter; p++)
            {
                double w1r = _w1r[p], w1i = _w1i[p], w2r = _w2r[p], w2i = _w2i[p], w3r = _w3r[p], w3i = _w3i[p];
                for (int q = 0; q < s; q++)
                {
                    int a = s * p + q;
                    double ar = xr[a], ai = xi[a], br = xr[a + n1], bi = xi[a + n1];
                    double cr = xr[a + 2 * n1], ci = xi[a + 2 * n1], dr = xr[a + 3 * n1], di = xi[a + 3 * n1];
                    double apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci;
                    double bpdR = br + dr, bpdI = bi + di;
                    // j·(b − d) with j = i: (−(bi − di), br − dr).
                    double jbmdR = -(bi - di), jbmdI = br - dr;
                    int d = 4 * s * p + q;
                    yr[d] = apcR + bpdR; yi[d] = apcI + bpdI;
                    double t1r = amcR - jbmdR, t1i = amcI - jbmdI;
                    yr[d + s] = w1r * t1r - w1i * t1i; yi[d + s] = w1r * t1i + w1i * t1r;
                    double t2r = apcR - bpdR, t2i = apcI - bpdI;
                    yr[d + 2 * s] = w2r * t2r - w2i * t2i; yi[d + 2 * s] = w2r * t2i + w2i * t2r;
                    double t3r = amcR + jbmdR, t3i = amcI + jbmdI;
                    yr[d + 3 * s] = w3r * t3r - w3i * t3i; yi[d + 3 * s] = w3r * t3i + w3i * t3r;
                }
            }
        }

        // The radix-4 DIF butterfly: y0 = (a+c)+(b+d), y1 = w1·((a−c) − i(b−d)), y2 = w2·((a+c)−(b+d)), y3 = w3·((a−c) + i(b−d)).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Butterfly(
            Vector256<double> ar, Vector256<double> ai, Vector256<double> br, Vector256<double> bi,
            Vector256<double> cr, Vector256<double> ci, Vector256<double> dr, Vector256<double> di,
            Vector256<double> w1r, Vector256<double> w1i, Vector256<double> w2r, Vector256<double> w2i,
            Vector256<double> w3r, Vector256<double> w3i,
            out Vector256<double> y0r, out Vector256<double> y0i, out Vector256<double> y1r, out Vector256<double> y1i,
            out Vector256<double> y2r, out Vector256<double> y2i, out Vector256<double> y3r, out Vector256<double> y3i)
        {
            var apcR = ar + cr; var apcI = ai + ci;
            var amcR = ar - cr; var amcI = ai - ci;
            var bpdR = br + dr; var bpdI = bi + di;
            var bmdR = br - dr; var bmdI = bi - di;
            y0r = apcR + bpdR; y0i = apcI + bpdI;
            // (a−c) − i(b−d) = (amcR + bmdI) + i(amcI − bmdR)
            var t1r = amcR + bmdI; var t1i = amcI - bmdR;
            var t2r = apcR - bpdR; var t2i = apcI - bpdI;
            // (a−c) + i(b−d) = (amcR − bmdI) + i(amcI + bmdR)
            var t3r = amcR - bmdI; var t3i = amcI + bmdR;
            y1r = w1r * t1r - w1i * t1i; y1i = w1r * t1i + w1i * t1r;
            y2r = w2r * t2r - w2i * t2i; y2i = w2r * t2i + w2i * t2r;
            y3r = w3r * t3r - w3i * t3i; y3i = w3r * t3i + w3i * t3r;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreTransposed(Span<double> y, int at, Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3)
        {
            var t0 = Avx.UnpackLow(r0, r1);   // r0[0] r1[0] r0[2] r1[2]
            var t1 = Avx.UnpackHigh(r0, r1);  // r0[1] r1[1] r0[3] r1[3]
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            Store(y, at, Avx.Permute2x128(t0, t2, 0x20));
            Store(y, at + 4, Avx.Permute2x128(t1, t3, 0x20));
            Store(y, at + 8, Avx.Permute2x128(t0, t2, 0x31));
            Store(y, at + 12, Avx.Permute2x128(t1, t3, 0x31));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Load(ReadOnlySpan<double> span, int at) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Store(Span<double> span, int at, Vector256<double> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)at);
}
