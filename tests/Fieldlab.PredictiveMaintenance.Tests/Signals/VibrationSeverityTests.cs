using Fieldlab.PredictiveMaintenance.Signals;

namespace Fieldlab.PredictiveMaintenance.Tests.Signals;

public sealed class VibrationSeverityTests
{
    [Fact]
    public void VelocityOfASine_IsItsAccelerationOverOmega_AndFallsInTheRightZone()
    {
        // 4 mm/s RMS at 50 Hz: acceleration peak = v_peak·2πf.
        const double fs = 12_800, f = 50;
        const int n = 8192;
        double vPeak = 4e-3 * Math.Sqrt(2), aPeak = vPeak * 2 * Math.PI * f;
        var x = Enumerable.Range(0, n).Select(i => aPeak * Math.Sin(2 * Math.PI * f * i / fs)).ToArray();
        var spectrum = new AmplitudeSpectrum(n, fs);
        spectrum.Compute(x);
        double v = VibrationSeverity.VelocityRms(spectrum.Amplitudes, spectrum.BinHz) * 1000;
        Assert.Equal(4.0, v, 0.12);
        Assert.Equal(SeverityZone.C, VibrationSeverity.Zone(v, MachineClass.SmallUpTo15kW));
        Assert.Equal(SeverityZone.B, VibrationSeverity.Zone(v, MachineClass.LargeRigid));
    }
}
