namespace Fieldlab.Gateway.Rigs.Motor;

/// <summary>The steady-state electrical and thermal behaviour of the induction motor at a load.</summary>
/// <remarks>
/// In the normal operating region torque is proportional to slip (Chapman, "Electric Machinery Fundamentals", 5th ed.,
/// §6.5), and rotor resistance rises with copper temperature (α = 1/234.5 K⁻¹), so a hot motor slips more.
/// Current = √(I_mag² + I_load²) with the magnetising current constant and the load component ∝ torque; losses = fixed
/// (iron, friction) + copper (∝ I²), split 30/70 at rated load.
/// </remarks>
public sealed class InductionMotor(InductionMotorParameters parameters)
{
    /// <summary>The nameplate.</summary>
    public InductionMotorParameters Parameters { get; } = parameters;

    /// <summary>Operating point at a load (fraction of rated torque) and winding temperature.</summary>
    public MotorOperatingPoint Solve(double load, double windingC, double frictionFactor = 1)
    {
        var p = Parameters;
        load = Math.Max(0, load);
        // Rotor copper: resistance ∝ (234.5 + T); rated slip is given at the rated winding temperature.
        double ratedC = p.AmbientTemperatureC + p.RatedTemperatureRiseK;
        double slip = p.RatedSlip * load * (234.5 + windingC) / (234.5 + ratedC);
        double shaftHz = p.SynchronousHz * (1 - slip);
        double ratedCurrent = p.RatedCurrentA;
        double magnetising = p.NoLoadCurrentFraction * ratedCurrent;
        double activeAtRated = Math.Sqrt(ratedCurrent * ratedCurrent - magnetising * magnetising);
        double current = Math.Sqrt(magnetising * magnetising + Math.Pow(activeAtRated * load, 2));
        double ratedLossKw = p.RatedPowerKw * (1 / p.RatedEfficiency - 1);
        double lossKw = ratedLossKw * (0.30 * frictionFactor + 0.70 * Math.Pow(current / ratedCurrent, 2));
        double shaftKw = p.RatedPowerKw * load * (shaftHz / (p.SynchronousHz * (1 - p.RatedSlip)));
        double inputKw = shaftKw + lossKw;
        double powerFactor = inputKw * 1000 / (Math.Sqrt(3) * p.RatedVoltageV * current);
        return new MotorOperatingPoint(shaftHz, slip, current, powerFactor, inputKw, shaftKw, lossKw, inputKw > 0 ? shaftKw / inputKw : 0);
    }
}

/// <summary>Motor state at one instant (before sensor noise).</summary>
public readonly record struct MotorOperatingPoint(double ShaftHz, double Slip, double CurrentA, double PowerFactor, double InputKw, double ShaftKw, double LossKw, double Efficiency);
