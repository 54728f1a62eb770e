namespace Fieldlab.PredictiveMaintenance.Signals;

/// <summary>ISO 20816-style evaluation zones of vibration severity (broadband velocity RMS, 10 Hz – 1 kHz).</summary>
public enum SeverityZone
{
    /// <summary>Newly commissioned machines.</summary>
    A,
    /// <summary>Acceptable for unrestricted long-term operation.</summary>
    B,
    /// <summary>Unsatisfactory for long-term operation; plan remedial action.</summary>
    C,
    /// <summary>Severe enough to cause damage.</summary>
    D,
}

/// <summary>Machine groups with their zone boundaries (velocity RMS, mm/s).</summary>
public enum MachineClass
{
    /// <summary>Class I: small machines up to 15 kW (boundaries 0.71 / 1.8 / 4.5 mm/s).</summary>
    SmallUpTo15kW,
    /// <summary>Class II: medium machines 15–75 kW, or up to 300 kW on special foundations (1.12 / 2.8 / 7.1 mm/s).</summary>
    Medium,
    /// <summary>Class III: large machines on rigid foundations (1.8 / 4.5 / 11.2 mm/s).</summary>
    LargeRigid,
    /// <summary>Class IV: large machines on flexible foundations (2.8 / 7.1 / 18 mm/s).</summary>
    LargeFlexible,
}

/// <summary>Velocity RMS from an acceleration spectrum, and its severity zone.</summary>
/// <remarks>Zone boundaries of ISO 10816-1:1995 Annex B (Table B.1), which ISO 20816-1:2016 carries over as its
/// general guidance; the machine class is configured per rig. Velocity by integration in the frequency domain,
/// V(f) = A(f)/(2πf), over 10 Hz – 1 kHz (ISO 20816-1 §4.1 measurement band); the Hann amplitude spectrum
/// overstates the energy of each tone by its equivalent noise bandwidth (1.5 bins), which is divided out
/// (Harris, Proc. IEEE 66 (1978)).</remarks>
public static class VibrationSeverity
{
    /// <summary>Velocity RMS from a Hann amplitude spectrum of acceleration (peak amplitudes per bin), in the
    /// acceleration's length unit per second: ×1000 turns m/s² input into mm/s.</summary>
    public static double VelocityRms(ReadOnlySpan<double> accelerationAmplitudes, double binHz, double fromHz = 10, double toHz = 1000)
    {
        int lo = Math.Max(1, (int)Math.Ceiling(fromHz / binHz)), hi = Math.Min(accelerationAmplitudes.Length - 1, (int)Math.Floor(toHz / binHz));
        double sum = 0;
        for (int k = lo; k <= hi; k++)
        {
            double velocityPeak = accelerationAmplitudes[k] / (2 * Math.PI * k * binHz);
            sum += velocityPeak * velocityPeak / 2;                                    // peak → mean square
        }
        return Math.Sqrt(sum / 1.5);
    }

    /// <summary>The zone of a velocity RMS for a machine class.</summary>
    public static SeverityZone Zone(double velocityRmsMmPerS, MachineClass machine)
    {
        var (ab, bc, cd) = Boundaries(machine);
        return velocityRmsMmPerS < ab ? SeverityZone.A : velocityRmsMmPerS < bc ? SeverityZone.B : velocityRmsMmPerS < cd ? SeverityZone.C : SeverityZone.D;
    }

    /// <summary>The A/B, B/C and C/D boundaries in mm/s.</summary>
    public static (double AB, double BC, double CD) Boundaries(MachineClass machine) => machine switch
    {
        MachineClass.SmallUpTo15kW => (0.71, 1.8, 4.5),
        MachineClass.Medium => (1.12, 2.8, 7.1),
        MachineClass.LargeRigid => (1.8, 4.5, 11.2),
        _ => (2.8, 7.1, 18.0),
    };
}
