namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>A 4th-order Butterworth band-pass as two biquads in series (transposed direct form II), designed in code.</summary>
/// <remarks>
/// Design (Oppenheim &amp; Schafer, "Discrete-Time Signal Processing", 3rd ed., §7.1; the same steps as scipy's
/// <c>butter(2, [f1, f2], 'band')</c>): analog 2nd-order Butterworth low-pass prototype with pole p = e^(j3π/4);
/// prewarped edges Wi = 2fs·tan(π·fi/fs); W0 = √(W1·W2), B = W2 − W1; low-pass to band-pass
/// s = p·B/2 ± √((p·B/2)² − W0²); bilinear z = (2fs + s)/(2fs − s). Each section takes one pole and its conjugate
/// (section 1 the smaller |arg z|), zeros at z = +1 and z = −1, gain 1 at the digital centre 2·atan(W0/(2fs)).
/// Filtering starts from zero state in every call (each window stands alone).
/// </remarks>
public sealed class ButterworthBandPass
{
    private readonly Biquad[] _sections;

    /// <summary>Designs the filter for a pass band in hertz at a sample rate.</summary>
    public ButterworthBandPass(double lowHz, double highHz, double sampleRateHz)
    {
        if (!(lowHz > 0 && lowHz < highHz && highHz < sampleRateHz / 2))
            throw new ArgumentOutOfRangeException(nameof(highHz), $"Need 0 < low < high < fs/2 (got {lowHz}, {highHz}, fs {sampleRateHz}).");
        LowHz = lowHz;
        HighHz = highHz;
        _sections = Design(lowHz, highHz, sampleRateHz);
    }

    /// <summary>Lower edge (−3 dB).</summary>
    public double LowHz { get; }

    /// <summary>Upper edge (−3 dB).</summary>
    public double HighHz { get; }

    /// <summary>The two sections' coefficients (b0, b1 = 0, b2 = −b0, a1, a2).</summary>
    public IReadOnlyList<Biquad> Sections => _sections;

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/> (may be the same span) from zero state.</summary>
    public void Filter(ReadOnlySpan<double> input, Span<double> output)
    {
        if (output.Length < input.Length) throw new ArgumentException("Output too short.", nameof(output));
        var first = _sections[0];
        var second = _sections[1];
        double s1 = 0, s2 = 0, t1 = 0, t2 = 0;
        for (int n = 0; n < input.Length; n++)
        {
            // Fused multiply-adds: the recurrence is latency-bound, and an FMA is one rounding instead of two.
            double v = input[n];
            double y = Math.FusedMultiplyAdd(first.B0, v, s1);
            s1 = Math.FusedMultiplyAdd(-first.A1, y, Math.FusedMultiplyAdd(first.B1, v, s2));
            s2 = Math.FusedMultiplyAdd(-first.A2, y, first.B2 * v);
            double z = Math.FusedMultiplyAdd(second.B0, y, t1);
            t1 = Math.FusedMultiplyAdd(-second.A1, z, Math.FusedMultiplyAdd(second.B1, y, t2));
            t2 = Math.FusedMultiplyAdd(-second.A2, z, second.B2 * y);
            output[n] = z;
        }
    }

    /// <summary>|H(f)| of the whole filter.</summary>
    public double Gain(double frequencyHz, double sampleRateHz)
    {
        var z = System.Numerics.Complex.FromPolarCoordinates(1, 2 * Math.PI * frequencyHz / sampleRateHz);
        var h = System.Numerics.Complex.One;
        foreach (var s in _sections) h *= (s.B0 + s.B1 / z + s.B2 / (z * z)) / (1 + s.A1 / z + s.A2 / (z * z));
        return h.Magnitude;
    }

    private static Biquad[] Design(double f1, double f2, double fs)
    {
        double w1 = 2 * fs * Math.Tan(Math.PI * f1 / fs), w2 = 2 * fs * Math.Tan(Math.PI * f2 / fs);
        double w0 = Math.Sqrt(w1 * w2), bandwidth = w2 - w1;
        var p = System.Numerics.Complex.FromPolarCoordinates(1, 3 * Math.PI / 4);
        var half = p * bandwidth / 2;
        var root = System.Numerics.Complex.Sqrt(half * half - w0 * w0);
        var poles = new[] { half + root, half - root }
            .Select(s => (2 * fs + s) / (2 * fs - s))
            .OrderBy(z => Math.Abs(z.Phase))
            .ToArray();
        double centre = 2 * Math.Atan(w0 / (2 * fs));
        var sections = new Biquad[2];
        for (int i = 0; i < 2; i++)
        {
            double a1 = -2 * poles[i].Real, a2 = poles[i].Magnitude * poles[i].Magnitude;
            var zc = System.Numerics.Complex.FromPolarCoordinates(1, centre);
            // Unit gain at the centre: |g·(1 − z⁻²)| / |1 + a1 z⁻¹ + a2 z⁻²| = 1.
            double g = (1 + a1 / zc + a2 / (zc * zc)).Magnitude / (1 - 1 / (zc * zc)).Magnitude;
            sections[i] = new Biquad(g, 0, -g, a1, a2);
        }
        return sections;
    }
}

/// <summary>One second-order section: y = b0·x + b1·x₋₁ + b2·x₋₂ − a1·y₋₁ − a2·y₋₂.</summary>
public readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2);
