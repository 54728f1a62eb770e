using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

public sealed class SpectrumTests
{
    [Fact]
    public void BinCentredSine_ReadsItsAmplitude_AtItsBin()
    {
        const int n = 4096;
        const double fs = 4096;
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 0.7 * Math.Sin(2 * Math.PI * 100 * i / fs + 0.3) + 0.2;
        var spectrum = new AmplitudeSpectrum(n, fs);
        var a = spectrum.Compute(x);
        Assert.Equal(0.7, a[100], 9);
        Assert.Equal(0.2, a[0], 9);
        Assert.Equal(100, spectrum.PeakFrequency(10, 2000));
    }

    [Fact]
    public void ParsevalHolds_ForTheRealFft()
    {
        const int n = 1024;
        var random = new Random(3);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var bins = new System.Numerics.Complex[n / 2 + 1];
        new RealFft(n).Forward(x, bins);
        double time = x.Sum(v => v * v);
        double freq = bins[0].Magnitude * bins[0].Magnitude + bins[n / 2].Magnitude * bins[n / 2].Magnitude
            + 2 * bins.Skip(1).Take(n / 2 - 1).Sum(b => b.Magnitude * b.Magnitude);
        Assert.Equal(time, freq / n, 9);
    }

    [Fact]
    public void EnvelopeOfAnAmplitudeModulatedCarrier_ShowsTheModulationFrequency()
    {
        const double fs = 25600;
        const int n = 32768;
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / fs;
            x[i] = (1 + 0.5 * Math.Cos(2 * Math.PI * 107.36 * t)) * Math.Sin(2 * Math.PI * 4200 * t);
        }
        var envelope = new EnvelopeSpectrum(n, fs, 2000, 8000);
        envelope.Compute(x);
        Assert.Equal(107.36, envelope.PeakFrequency(20, 1000), envelope.BinHz);
        Assert.InRange(envelope.AmplitudeAt(107.36), 0.4, 0.55);
    }
}
