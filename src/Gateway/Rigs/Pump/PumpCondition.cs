namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>The health of the pump rig right now: faults change these, the physics reads them.</summary>
public sealed class PumpCondition
{
    /// <summary>Impeller wear, 0 (new) to 1 (worn out): head falls by up to 25 % and efficiency by up to 15 points.</summary>
    public double ImpellerWear { get; set; }

    /// <summary>Extra suction restriction (clogged strainer, low tank), 0..1: adds up to 12 m of suction loss at BEP flow.</summary>
    public double SuctionRestriction { get; set; }

    /// <summary>Discharge-side throttling or clogging, 0..1: the system resistance grows up to 10×.</summary>
    public double DischargeClogging { get; set; }

    /// <summary>Bearing defect severity, 0..1: raises vibration and bearing temperature.</summary>
    public double BearingWear { get; set; }
}
