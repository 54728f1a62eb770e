namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>The steady hydraulic and electrical state of the pump at one instant (before sensor noise).
/// <see cref="CavitationDeficit"/> is (NPSHr − NPSHa)/NPSHr at the flow the pump would deliver without cavitating, 0 when
/// there is margin: the head breakdown it causes lowers the flow, so the final NPSH values alone would hide it.</summary>
public readonly record struct PumpOperatingPoint(
    double SpeedRpm,
    double FlowM3h,
    double HeadM,
    double PumpEfficiency,
    double HydraulicPowerKw,
    double ShaftPowerKw,
    double ElectricalPowerKw,
    double MotorLossKw,
    double CurrentA,
    double SuctionPressureBar,
    double DischargePressureBar,
    double NpshAvailableM,
    double NpshRequiredM,
    double CavitationDeficit)
{
    /// <summary>True when the suction can no longer keep the liquid from boiling at the impeller eye.</summary>
    public bool IsCavitating => CavitationDeficit > 0;
}
