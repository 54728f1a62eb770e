using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

public sealed class ButterworthBandPassTests
{
    [Fact]
    public void Design_MatchesTheReferenceCoefficients()
    {
        // ../shared/bench/features-ref README: 2–8 kHz at 25.6 kHz.
        var filter = new ButterworthBandPass(2000, 8000, 25600);
        Assert.Equal(0.41294580170913375, filter.Sections[0].B0, 1e-14);
        Assert.Equal(-1.3287016235971396, filter.Sections[0].A1, 1e-14);
        Assert.Equal(0.55696370296693043, filter.Sections[0].A2, 1e-14);
        Assert.Equal(0.64103484040318126, filter.Sections[1].B0, 1e-14);
        Assert.Equal(0.36704101829736863, filter.Sections[1].A1, 1e-14);
        Assert.Equal(0.31225429393891241, filter.Sections[1].A2, 1e-14);
        Assert.Equal(-filter.Sections[0].B0, filter.Sections[0].B2);
    }

    [Theory]
    [InlineData(2000, 0.7071)]
    [InlineData(8000, 0.7071)]
    [InlineData(1000, 0.180)]
    [InlineData(11000, 0.081)]
    [InlineData(4476.9, 1.0)]
    public void Response_HasTheButterworthShape(double frequency, double gain)
    {
        Assert.Equal(gain, new ButterworthBandPass(2000, 8000, 25600).Gain(frequency, 25600), 3);
    }

    [Fact]
    public void Filtering_PassesInBandTones_AndStopsOthers()
    {
        const double fs = 25600;
        const int n = 16384;
        var filter = new ButterworthBandPass(2000, 8000, fs);
        var input = new double[n];
        var output = new double[n];
        for (int i = 0; i < n; i++) input[i] = Math.Sin(2 * Math.PI * 4000 * i / fs) + Math.Sin(2 * Math.PI * 100 * i / fs);
        filter.Filter(input, output);
        var spectrum = new AmplitudeSpectrum(8192, fs);
        spectrum.Compute(output.AsSpan(n - 8192));
        Assert.InRange(spectrum.AmplitudeNear(4000), 0.9, 1.05);
        Assert.True(spectrum.AmplitudeNear(100) < 0.01);
    }
}
