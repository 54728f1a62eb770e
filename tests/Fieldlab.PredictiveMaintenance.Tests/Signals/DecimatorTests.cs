using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

public sealed class DecimatorTests
{
    [Fact]
    public void ToneInsideTheNewBand_PassesUnchanged_AndATooHighOneIsSuppressedNotAliased()
    {
        const double fs = 48_000;
        var decimator = new Decimator(4);
        var low = Enumerable.Range(0, 48_000).Select(i => Math.Sin(2 * Math.PI * 1000 * i / fs)).ToArray();
        var high = Enumerable.Range(0, 48_000).Select(i => Math.Sin(2 * Math.PI * 10_000 * i / fs)).ToArray(); // would alias to 2 kHz
        var lowOut = decimator.Apply(low);
        var highOut = decimator.Apply(high);
        Assert.Equal(12_000, lowOut.Length);
        double Rms(double[] x) => Math.Sqrt(x.Skip(200).SkipLast(200).Average(v => v * v));
        Assert.Equal(Math.Sqrt(0.5), Rms(lowOut), 3);
        Assert.True(Rms(highOut) < 1e-3 * Math.Sqrt(0.5), $"aliased residue {Rms(highOut)}");
        Assert.Equal(1, decimator.Gain(0), 9);
    }

    [Fact]
    public void DelayIsRemoved_SoSamplesStayAlignedInTime()
    {
        var x = Enumerable.Range(0, 4000).Select(i => Math.Sin(2 * Math.PI * 100 * i / 48_000.0)).ToArray();
        var y = new Decimator(4).Apply(x);
        for (int o = 100; o < 900; o += 97) Assert.Equal(x[4 * o], y[o], 3);
    }
}
