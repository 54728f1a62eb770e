namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>Solves the pump rig's operating point: where the (worn) pump curve meets the (throttled) system curve,
/// and what that costs electrically.</summary>
public sealed class PumpHydraulics(PumpRigParameters parameters)
{
    private const double G = 9.80665; // standard gravity, m/s²

    /// <summary>The rig parameters.</summary>
    public PumpRigParameters Parameters { get; } = parameters;

    /// <summary>Operating point at a speed and valve opening (0..1] under a condition.</summary>
    public PumpOperatingPoint Solve(double speedRpm, double valveOpening, PumpCondition condition)
    {
        var p = Parameters;
        var curve = p.Curve;
        double headFactor = 1 - 0.25 * condition.ImpellerWear;
        double opening = Math.Clamp(valveOpening, 0.05, 1.0);
        // Valve: resistance ∝ 1/opening² (equal-percentage trim approximated by the square law).
        double resistance = p.PipeResistance / (opening * opening) * (1 + 9 * condition.DischargeClogging);

        // Worn impeller: the whole head curve scales down by headFactor.
        double s = speedRpm / curve.RatedSpeedRpm;
        double a = (curve.ShutoffHeadM - curve.BepHeadM) / (curve.BepFlowM3h * curve.BepFlowM3h);
        double surplus = curve.ShutoffHeadM * headFactor * s * s - p.StaticHeadM;
        double flow = surplus <= 0 ? 0 : Math.Sqrt(surplus / (a * headFactor + resistance));

        // Cavitation: when NPSH available falls below required, head collapses progressively (breakdown).
        double npshA = NpshAvailable(flow, condition);
        double npshR = curve.NpshRequired(flow, speedRpm);
        double deficit = 0;
        if (npshA < npshR && flow > 0)
        {
            deficit = Math.Min(1, (npshR - npshA) / npshR);
            headFactor *= 1 - 0.35 * deficit;
            surplus = curve.ShutoffHeadM * headFactor * s * s - p.StaticHeadM;
            flow = surplus <= 0 ? 0 : Math.Sqrt(surplus / (a * headFactor + resistance));
            npshA = NpshAvailable(flow, condition);
        }
        double head = p.StaticHeadM + resistance * flow * flow;
        if (flow == 0) head = Math.Max(0, curve.ShutoffHeadM * headFactor * s * s);

        double efficiency = Math.Max(0.02, curve.Efficiency(Math.Max(flow, 1e-3 * curve.BepFlowM3h), speedRpm) - 0.15 * condition.ImpellerWear);
        double hydraulicKw = p.DensityKgM3 * G * (flow / 3600.0) * head / 1000.0;
        // Shaft power: hydraulic power over pump efficiency; at shut-off both vanish linearly, so use the limit there.
        double shaftKw = flow > 1e-3 * curve.BepFlowM3h
            ? hydraulicKw / efficiency
            : p.DensityKgM3 * G * (curve.BepFlowM3h * s / 3600.0) * head / 1000.0 / (2 * curve.BepEfficiency);
        shaftKw *= 1 + 0.04 * condition.BearingWear; // bearing friction

        // Motor losses: constant (iron, friction) plus load-dependent (copper ∝ I² ∝ load²); split 35/65 at rated load.
        double ratedLossKw = p.MotorRatedPowerKw * (1 / p.MotorRatedEfficiency - 1);
        double load = shaftKw / p.MotorRatedPowerKw;
        double motorLossKw = ratedLossKw * (0.35 * Math.Max(s, 0.2) + 0.65 * load * load);
        double motorInputKw = shaftKw + motorLossKw;
        double electricalKw = motorInputKw / p.DriveEfficiency;
        double powerFactor = p.MotorRatedPowerFactor * (1 - 0.35 * Math.Pow(Math.Max(0, 1 - load), 2));
        // Three-phase power: P = √3·V·I·cos φ.
        double current = electricalKw * 1000 / (Math.Sqrt(3) * p.SupplyVoltageV * powerFactor);

        double suctionBar = p.AtmosphericPressureBar - 1.01325 + p.DensityKgM3 * G * (p.SuctionStaticHeadM - SuctionLoss(flow, condition)) / 1e5;
        double dischargeBar = suctionBar + p.DensityKgM3 * G * head / 1e5;
        return new PumpOperatingPoint(speedRpm, flow, head, efficiency, hydraulicKw, shaftKw, electricalKw, motorLossKw, current,
            suctionBar, dischargeBar, npshA, npshR, deficit);
    }

    /// <summary>NPSH available, m: (p_atm − p_vapour)/(ρg) + static suction head − suction losses (Gülich §6.2).</summary>
    public double NpshAvailable(double flowM3h, PumpCondition condition)
    {
        var p = Parameters;
        return (p.AtmosphericPressureBar - p.VapourPressureBar) * 1e5 / (p.DensityKgM3 * G) + p.SuctionStaticHeadM - SuctionLoss(flowM3h, condition);
    }

    private double SuctionLoss(double flowM3h, PumpCondition condition)
    {
        var p = Parameters;
        double x = flowM3h / p.Curve.BepFlowM3h;
        return (p.SuctionLossAtBepM + 12.0 * condition.SuctionRestriction) * x * x;
    }
}
