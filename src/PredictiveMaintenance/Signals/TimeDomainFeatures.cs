using System.Runtime.Intrinsics;

namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Statistical features of a vibration window in the time domain, the first things a vibration analyst reads.</summary>
/// <param name="Rms">Root mean square, √(Σx²/N): overall vibration energy.</param>
/// <param name="Peak">Largest absolute value.</param>
/// <param name="PeakToPeak">Maximum minus minimum.</param>
/// <param name="Crest">Peak / RMS: grows with impacts (early bearing damage) before the RMS does.</param>
/// <param name="Kurtosis">Pearson kurtosis m4/m2² (3 for Gaussian noise, higher for impulsive signals; not excess kurtosis).</param>
/// <param name="Skewness">m3/m2^1.5: asymmetry (rubbing, clipping).</param>
/// <param name="Shape">RMS / mean |x|.</param>
/// <param name="Impulse">Peak / mean |x|.</param>
/// <remarks>Definitions as in ISO 13373-2 and Randall, "Vibration-based Condition Monitoring" (2011), §3.2; central
/// moments are population moments (divide by N). Identical to the features of ../shared/bench/features-ref.</remarks>
public readonly record struct TimeDomainFeatures(
    double Rms, double Peak, double PeakToPeak, double Crest, double Kurtosis, double Skewness, double Shape, double Impulse)
{
    /// <summary>Computes the features of a window of at least two finite samples (NaN in, NaN out).</summary>
    public static TimeDomainFeatures Compute(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) throw new ArgumentException("A window needs at least two samples.", nameof(x));
        int n = x.Length;
        // Four interleaved partial sums (lane j takes samples 4i + j), combined as (l0 + l1) + (l2 + l3): the order the
        // reference uses, and exactly what one Vector256 accumulator does.
        var sum = Vector256<double>.Zero;
        var sumAbs = Vector256<double>.Zero;
        var sumSq = Vector256<double>.Zero;
        var vmax = Vector256.Create(double.NegativeInfinity);
        var vmin = Vector256.Create(double.PositiveInfinity);
        int full = n & ~3;
        for (int i = 0; i < full; i += 4)
        {
            var v = Vector256.Create(x.Slice(i, 4));
            sum += v;
            sumAbs += Vector256.Abs(v);
            sumSq += v * v;
            vmax = Vector256.Max(vmax, v);
            vmin = Vector256.Min(vmin, v);
        }
        double max = Math.Max(Math.Max(vmax[0], vmax[1]), Math.Max(vmax[2], vmax[3]));
        double min = Math.Min(Math.Min(vmin[0], vmin[1]), Math.Min(vmin[2], vmin[3]));
        Span<double> s = [sum[0], sum[1], sum[2], sum[3]];
        Span<double> a = [sumAbs[0], sumAbs[1], sumAbs[2], sumAbs[3]];
        Span<double> q = [sumSq[0], sumSq[1], sumSq[2], sumSq[3]];
        for (int i = full; i < n; i++)
        {
            double v = x[i];
            s[i - full] += v; a[i - full] += Math.Abs(v); q[i - full] += v * v;
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }
        double mean = ((s[0] + s[1]) + (s[2] + s[3])) / n;
        double meanAbs = ((a[0] + a[1]) + (a[2] + a[3])) / n;
        double rms = Math.Sqrt(((q[0] + q[1]) + (q[2] + q[3])) / n);

        var vmean = Vector256.Create(mean);
        var m2v = Vector256<double>.Zero;
        var m3v = Vector256<double>.Zero;
        var m4v = Vector256<double>.Zero;
        for (int i = 0; i < full; i += 4)
        {
            var d = Vector256.Create(x.Slice(i, 4)) - vmean;
            var e = d * d;
            m2v += e;
            m3v += e * d;
            m4v += e * e;
        }
        Span<double> m2s = [m2v[0], m2v[1], m2v[2], m2v[3]];
        Span<double> m3s = [m3v[0], m3v[1], m3v[2], m3v[3]];
        Span<double> m4s = [m4v[0], m4v[1], m4v[2], m4v[3]];
        for (int i = full; i < n; i++)
        {
            double d = x[i] - mean, e = d * d;
            m2s[i - full] += e; m3s[i - full] += e * d; m4s[i - full] += e * e;
        }
        double m2 = ((m2s[0] + m2s[1]) + (m2s[2] + m2s[3])) / n;
        double m3 = ((m3s[0] + m3s[1]) + (m3s[2] + m3s[3])) / n;
        double m4 = ((m4s[0] + m4s[1]) + (m4s[2] + m4s[3])) / n;
        double peak = Math.Max(Math.Abs(max), Math.Abs(min));
        return new TimeDomainFeatures(rms, peak, max - min, peak / rms, m4 / (m2 * m2), m3 / (m2 * Math.Sqrt(m2)), rms / meanAbs, peak / meanAbs);
    }
}
