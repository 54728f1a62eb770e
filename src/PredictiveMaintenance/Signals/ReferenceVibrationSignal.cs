namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>The synthetic 3-axis bearing-fault signal of ../shared/bench/features-ref, rebuilt bit for bit: shaft 1×/2×,
/// a gear-mesh tone, white noise, and 4.2 kHz ringing impacts at BPFO amplitude-modulated by the shaft.</summary>
/// <remarks>Used by <c>./fieldlab bench features</c> and the feature tests so both run exactly the reference's workload.
/// Expressions are written in the reference's evaluation order without fused multiply-add (RyuJIT never contracts), and
/// .NET's Math.Sin/Cos/Exp/Log call the same C library, so the samples are identical on Linux.</remarks>
public static class ReferenceVibrationSignal
{
    /// <summary>Sample rate, Hz.</summary>
    public const double SampleRateHz = 25_600;

    /// <summary>Samples per axis (60 s).</summary>
    public const int Length = 1_536_000;

    /// <summary>Axes.</summary>
    public const int Axes = 3;

    private const double TwoPi = 6.283185307179586;

    /// <summary>Generates the three axes (axis 0 first, as the reference draws its noise).</summary>
    public static double[][] Generate()
    {
        ulong state = 20240611UL;
        double Uniform()
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        double[] gain = [1.0, 0.8, 0.6];
        var axes = new double[Axes][];
        for (int a = 0; a < Axes; a++)
        {
            var x = axes[a] = new double[Length];
            double g = gain[a], ph = 0.7 * a;
            for (int n = 0; n < Length; n += 2)
            {
                double u1 = 1.0 - Uniform(), u2 = Uniform();
                double r = Math.Sqrt(-2.0 * Math.Log(u1));
                double z0 = r * Math.Cos(TwoPi * u2), z1 = r * Math.Sin(TwoPi * u2);
                for (int i = 0; i < 2; i++)
                {
                    double t = (double)(n + i) / SampleRateHz;
                    double det = 0.50 * Math.Sin(TwoPi * 29.95 * t + ph)
                               + 0.15 * Math.Sin(TwoPi * 59.90 * t + 2.0 * ph)
                               + 0.08 * Math.Sin(TwoPi * 1497.5 * t + 3.0 * ph);
                    x[n + i] = g * det + 0.20 * (i == 0 ? z0 : z1);
                }
            }
            for (long k = 0; ; k++)
            {
                double tk = k / 107.36;
                if (tk >= 60.0) break;
                double amp = 1.5 * g * (1.0 + 0.5 * Math.Cos(TwoPi * 29.95 * tk));
                long n0 = (long)Math.Ceiling(tk * SampleRateHz);
                for (long n = n0; n < n0 + 256 && n < Length; n++)
                {
                    double dt = n / SampleRateHz - tk;
                    x[n] += amp * Math.Exp(-dt / 0.0005) * Math.Sin(TwoPi * 4200.0 * dt);
                }
            }
        }
        return axes;
    }
}
