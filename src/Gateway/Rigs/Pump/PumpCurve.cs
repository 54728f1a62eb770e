namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>Head and efficiency of a centrifugal pump as functions of flow and speed.</summary>
/// <remarks>
/// Head: H(Q) = H0 − A·Q² at rated speed, a parabola through the shut-off head H0 and the best efficiency point
/// (Gülich, "Centrifugal Pumps", 3rd ed., §4.2). Across speed the affinity laws hold exactly:
/// Q ∝ n, H ∝ n², P ∝ n³ (Gülich §3.4), so H(Q, n) = H0·s² − A·Q² with s = n/n0.
/// Efficiency: η(Q, n) = ηBEP·(2x − x²) with x = Q / (QBEP·s), the usual parabolic approximation that peaks at the BEP
/// and is independent of speed (affinity-law similar points share efficiency).
/// NPSH required: NPSHr = NPSHrBEP·s²·(0.4 + 0.6·x²), rising towards overload as in typical manufacturer curves.
/// </remarks>
public sealed record PumpCurve(
    double ShutoffHeadM,
    double BepFlowM3h,
    double BepHeadM,
    double BepEfficiency,
    double RatedSpeedRpm,
    double BepNpshRequiredM)
{
    /// <summary>A 7.5 kW end-suction pump: BEP 40 m³/h at 32 m, 72 %, 2900 rpm.</summary>
    public static PumpCurve Standard { get; } = new(40, 40, 32, 0.72, 2900, 3.0);

    private double A => (ShutoffHeadM - BepHeadM) / (BepFlowM3h * BepFlowM3h);

    /// <summary>Head in metres at flow Q (m³/h) and speed n (rpm).</summary>
    public double Head(double flowM3h, double speedRpm)
    {
        double s = speedRpm / RatedSpeedRpm;
        return ShutoffHeadM * s * s - A * flowM3h * flowM3h;
    }

    /// <summary>Pump (hydraulic/shaft) efficiency, 0..1.</summary>
    public double Efficiency(double flowM3h, double speedRpm)
    {
        double s = speedRpm / RatedSpeedRpm;
        if (s <= 0) return 0;
        double x = flowM3h / (BepFlowM3h * s);
        return Math.Max(0, BepEfficiency * (2 * x - x * x));
    }

    /// <summary>NPSH required in metres.</summary>
    public double NpshRequired(double flowM3h, double speedRpm)
    {
        double s = speedRpm / RatedSpeedRpm;
        double x = s > 0 ? flowM3h / (BepFlowM3h * s) : 0;
        return BepNpshRequiredM * s * s * (0.4 + 0.6 * x * x);
    }

    /// <summary>The flow where the pump curve meets a system curve H = Hs + k·Q²; 0 if the pump cannot overcome Hs.</summary>
    public double OperatingFlow(double speedRpm, double staticHeadM, double resistance)
    {
        double s = speedRpm / RatedSpeedRpm;
        double surplus = ShutoffHeadM * s * s - staticHeadM;
        return surplus <= 0 ? 0 : Math.Sqrt(surplus / (A + resistance));
    }
}
