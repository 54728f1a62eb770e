namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>Lowers a signal's sample rate by an integer factor without aliasing: a linear-phase FIR low-pass
/// (windowed sinc) and keeping every M-th output, computing only the outputs kept.</summary>
/// <remarks>Windowed-sinc design per Oppenheim &amp; Schafer, "Discrete-Time Signal Processing", 3rd ed., §7.5 and §4.6
/// (decimation): h[n] = 2fc·sinc(2fc(n − (L−1)/2))·w[n] with a Blackman window (stop-band ≈ −74 dB), cutoff
/// fc = 0.8 × the new Nyquist / old rate so the transition band ends before the new Nyquist. Gain normalised to 1 at DC.
/// Edges are handled by treating samples outside the signal as zero; the group delay (L−1)/2 is removed.</remarks>
public sealed class Decimator
{
    private readonly double[] _taps;

    /// <summary>Designs the filter for decimation by <paramref name="factor"/> with <paramref name="taps"/> coefficients (odd).</summary>
    public Decimator(int factor, int taps = 129)
    {
        if (factor < 2) throw new ArgumentOutOfRangeException(nameof(factor), "Decimation needs a factor of at least 2.");
        if (taps < 3 || taps % 2 == 0) throw new ArgumentOutOfRangeException(nameof(taps), "The filter needs an odd number of taps ≥ 3.");
        Factor = factor;
        double cutoff = 0.8 * 0.5 / factor; // cycles per input sample
        _taps = new double[taps];
        int middle = taps / 2;
        for (int n = 0; n < taps; n++)
        {
            double m = n - middle;
            double sinc = m == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            double window = 0.42 - 0.5 * Math.Cos(2 * Math.PI * n / (taps - 1)) + 0.08 * Math.Cos(4 * Math.PI * n / (taps - 1));
            _taps[n] = sinc * window;
        }
        double sum = _taps.Sum();
        for (int n = 0; n < taps; n++) _taps[n] /= sum;
    }

    /// <summary>Decimation factor M.</summary>
    public int Factor { get; }

    /// <summary>Returns the decimated signal (⌈length / M⌉ samples, aligned with the input's samples 0, M, 2M, …).</summary>
    public double[] Apply(ReadOnlySpan<double> input)
    {
        int middle = _taps.Length / 2;
        var output = new double[(input.Length + Factor - 1) / Factor];
        for (int o = 0; o < output.Length; o++)
        {
            int centre = o * Factor;
            double acc = 0;
            for (int t = 0; t < _taps.Length; t++)
            {
                int i = centre + middle - t;
                if ((uint)i < (uint)input.Length) acc += _taps[t] * input[i];
            }
            output[o] = acc;
        }
        return output;
    }

    /// <summary>|H(f)| at a frequency in cycles per input sample.</summary>
    public double Gain(double cyclesPerSample)
    {
        double re = 0, im = 0;
        for (int n = 0; n < _taps.Length; n++)
        {
            re += _taps[n] * Math.Cos(2 * Math.PI * cyclesPerSample * n);
            im -= _taps[n] * Math.Sin(2 * Math.PI * cyclesPerSample * n);
        }
        return Math.Sqrt(re * re + im * im);
    }
}
