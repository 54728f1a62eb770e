using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

public sealed class TimeDomainFeaturesTests
{
    [Fact]
    public void PureSine_HasTheTextbookRatios()
    {
        // A sine of amplitude A: RMS = A/√2, crest = √2, kurtosis = 1.5, skewness 0, shape = π/(2√2), impulse = π/2.
        const int n = 4096;
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 2.0 * Math.Sin(2 * Math.PI * 16 * i / n);
        var f = TimeDomainFeatures.Compute(x);
        Assert.Equal(2.0 / Math.Sqrt(2), f.Rms, 12);
        Assert.Equal(2.0, f.Peak, 12);
        Assert.Equal(4.0, f.PeakToPeak, 12);
        Assert.Equal(Math.Sqrt(2), f.Crest, 12);
        Assert.Equal(1.5, f.Kurtosis, 10);
        Assert.Equal(0.0, f.Skewness, 10);
        Assert.Equal(Math.PI / (2 * Math.Sqrt(2)), f.Shape, 3);
        Assert.Equal(Math.PI / 2, f.Impulse, 3);
    }

    [Fact]
    public void GaussianNoise_HasKurtosisNearThree()
    {
        var random = new Random(11);
        var x = new double[200_000];
        for (int i = 0; i < x.Length; i += 2)
        {
            double r = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), a = 2 * Math.PI * random.NextDouble();
            x[i] = r * Math.Cos(a);
            x[i + 1] = r * Math.Sin(a);
        }
        var f = TimeDomainFeatures.Compute(x);
        Assert.InRange(f.Kurtosis, 2.95, 3.05);
        Assert.InRange(f.Skewness, -0.03, 0.03);
        Assert.InRange(f.Rms, 0.99, 1.01);
    }

    [Fact]
    public void Impacts_RaiseCrestAndKurtosis()
    {
        var x = new double[1000];
        for (int i = 0; i < x.Length; i++) x[i] = Math.Sin(i * 0.1);
        var smooth = TimeDomainFeatures.Compute(x);
        for (int i = 50; i < x.Length; i += 100) x[i] += 8;
        var impacted = TimeDomainFeatures.Compute(x);
        Assert.True(impacted.Crest > 2 * smooth.Crest);
        Assert.True(impacted.Kurtosis > 5 * smooth.Kurtosis);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void OddLengths_MatchTheNaiveDefinition(int n)
    {
        var x = Enumerable.Range(0, n).Select(i => Math.Cos(i * 1.3) + i * 0.1).ToArray();
        var f = TimeDomainFeatures.Compute(x);
        double mean = x.Average();
        double m2 = x.Select(v => Math.Pow(v - mean, 2)).Average();
        double m4 = x.Select(v => Math.Pow(v - mean, 4)).Average();
        Assert.Equal(Math.Sqrt(x.Select(v => v * v).Average()), f.Rms, 12);
        Assert.Equal(m4 / (m2 * m2), f.Kurtosis, 10);
    }

    [Fact]
    public void TooShortWindow_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => TimeDomainFeatures.Compute([1.0]));
    }
}
