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
        // Four interleaved partial sums (lane j takes samples 4i + j), combined as (l0 + l1) + (l2 + l3):
        // the order the reference uses, and one that vectorises.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        int i = 0;
        for (; i + 3 < n; i += 4)
        {
            double v0 = x[i], v1 = x[i + 1], v2 = x[i + 2], v3 = x[i + 3];
            s0 += v0; s1 += v1; s2 += v2; s3 += v3;
            a0 += Math.Abs(v0); a1 += Math.Abs(v1); a2 += Math.Abs(v2); a3 += Math.Abs(v3);
            q0 += v0 * v0; q1 += v1 * v1; q2 += v2 * v2; q3 += v3 * v3;
            max = Math.Max(max, Math.Max(Math.Max(v0, v1), Math.Max(v2, v3)));
            min = Math.Min(min, Math.Min(Math.Min(v0, v1), Math.Min(v2, v3)));
        }
        for (int lane = 0; i < n; i++, lane++)
        {
            double v = x[i];
            switch (lane)
            {
                case 0: s0 += v; a0 += Math.Abs(v); q0 += v * v; break;
                case 1: s1 += v; a1 += Math.Abs(v); q1 += v * v; break;
                default: s2 += v; a2 += Math.Abs(v); q2 += v * v; break;
            }
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }
        double mean = ((s0 + s1) + (s2 + s3)) / n;
        double meanAbs = ((a0 + a1) + (a2 + a3)) / n;
        double rms = Math.Sqrt(((q0 + q1) + (q2 + q3)) / n);

        double m2a = 0, m2b = 0, m2c = 0, m2d = 0, m3a = 0, m3b = 0, m3c = 0, m3d = 0, m4a = 0, m4b = 0, m4c = 0, m4d = 0;
        i = 0;
        for (; i + 3 < n; i += 4)
        {
            double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
            double e0 = d0 * d0, e1 = d1 * d1, e2 = d2 * d2, e3 = d3 * d3;
            m2a += e0; m2b += e1; m2c += e2; m2d += e3;
            m3a += e0 * d0; m3b += e1 * d1; m3c += e2 * d2; m3d += e3 * d3;
            m4a += e0 * e0; m4b += e1 * e1; m4c += e2 * e2; m4d += e3 * e3;
        }
        for (int lane = 0; i < n; i++, lane++)
        {
            double d = x[i] - mean, e = d * d;
            switch (lane)
            {
                case 0: m2a += e; m3a += e * d; m4a += e * e; break;
                case 1: m2b += e; m3b += e * d; m4b += e * e; break;
                default: m2c += e; m3c += e * d; m4c += e * e; break;
            }
        }
        double m2 = ((m2a + m2b) + (m2c + m2d)) / n;
        double m3 = ((m3a + m3b) + (m3c + m3d)) / n;
        double m4 = ((m4a + m4b) + (m4c + m4d)) / n;
        double peak = Math.Max(Math.Abs(max), Math.Abs(min));
        return new TimeDomainFeatures(rms, peak, max - min, peak / rms, m4 / (m2 * m2), m3 / (m2 * Math.Sqrt(m2)), rms / meanAbs, peak / meanAbs);
    }
}
