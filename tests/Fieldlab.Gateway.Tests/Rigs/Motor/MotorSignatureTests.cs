using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.Gateway.Tests.Rigs.Motor;

public sealed class MotorSignatureTests
{
    private const double Rate = 25_600;
    private const int Window = 32_768;

    private static (MotorRig Rig, double[] X) Run(Action<MotorRig> fault, double load = 0.8)
    {
        var rig = new MotorRig(seed: 11, processRateHz: 10, vibrationRateHz: Rate, vibrationAxes: 3);
        rig.Process.LoadOverride = load;
        var values = new double[rig.Process.Sensors.Count];
        // Settle the operating point (speed) before recording vibration.
        for (int i = 0; i < 50; i++) rig.Process.Sample(1_700_000_000_000_000_000L + i * 100_000_000L, values);
        fault(rig);
        var samples = new float[3 * Window];
        rig.Vibration.Generate(samples, Window);
        return (rig, samples.Take(Window).Select(v => (double)v).ToArray());
    }

    [Fact]
    public void OuterRaceDefect_ShowsInTheEnvelopeSpectrumAtBpfo_AndItsHarmonics()
    {
        var (rig, x) = Run(r => r.SetFault("bearing_outer", 0.5));
        var f = BearingGeometry.Skf6205.At(rig.Current.ShaftHz);
        var envelope = new EnvelopeSpectrum(Window, Rate, 2000, 8000);
        envelope.Compute(x);
        Assert.Equal(f.Bpfo, envelope.PeakFrequency(20, 400), envelope.BinHz);
        Assert.Equal(2 * f.Bpfo, envelope.PeakFrequency(1.5 * f.Bpfo, 2.5 * f.Bpfo), envelope.BinHz);
        // Far above the background, and absent in a healthy bearing.
        var (_, healthy) = Run(_ => { });
        var healthyEnvelope = new EnvelopeSpectrum(Window, Rate, 2000, 8000);
        healthyEnvelope.Compute(healthy);
        Assert.True(envelope.AmplitudeAt(f.Bpfo) > 10 * healthyEnvelope.AmplitudeAt(f.Bpfo));
    }

    [Fact]
    public void InnerRaceDefect_ShowsAtBpfi_WithShaftSpeedSidebands()
    {
        var (rig, x) = Run(r => r.SetFault("bearing_inner", 0.6));
        var f = BearingGeometry.Skf6205.At(rig.Current.ShaftHz);
        var envelope = new EnvelopeSpectrum(Window, Rate, 2000, 8000);
        envelope.Compute(x);
        Assert.Equal(f.Bpfi, envelope.PeakFrequency(f.Bpfi - 5, f.Bpfi + 5), envelope.BinHz);
        double background = envelope.AmplitudeAt(f.Bpfo);
        Assert.True(envelope.AmplitudeAt(f.Bpfi) > 4 * background);
        Assert.True(envelope.AmplitudeAt(f.Bpfi - rig.Current.ShaftHz) > 2 * background, "sideband at BPFI − fr from the load-zone modulation");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(0.8)]
    public void Imbalance_RaisesTheOneTimesAmplitude_AsConfigured(double severity)
    {
        var (rig, x) = Run(r => r.SetFault("imbalance", severity));
        double fr = rig.Current.ShaftHz;
        var spectrum = new AmplitudeSpectrum(Window, Rate);
        var a = spectrum.Compute(x);
        // Energy of the Hann main lobe (±2 bins) over its equivalent noise bandwidth (1.5 bins) gives the amplitude
        // of an off-bin sine without scalloping loss.
        int k0 = (int)Math.Round(fr / spectrum.BinHz);
        double energy = 0;
        for (int k = k0 - 2; k <= k0 + 2; k++) energy += a[k] * a[k];
        double measured = Math.Sqrt(energy / 1.5);
        Assert.Equal(MotorVibration.OneTimesAmplitude(severity, fr), measured, 0.05 * MotorVibration.OneTimesAmplitude(severity, fr) + 0.01);
    }

    [Fact]
    public void Slip_GrowsWithLoad_AndCurrentWithIt()
    {
        var motor = new InductionMotor(new InductionMotorParameters());
        var light = motor.Solve(0.3, 80);
        var rated = motor.Solve(1.0, 97);
        Assert.True(rated.Slip > 3 * light.Slip * 0.9);
        Assert.Equal(0.03, rated.Slip, 3);
        Assert.Equal(new InductionMotorParameters().RatedCurrentA, rated.CurrentA, 6);
        Assert.Equal(0.896, rated.Efficiency, 3);
        Assert.Equal(0.83, rated.PowerFactor, 3);
        Assert.True(light.PowerFactor < rated.PowerFactor);
    }
}
