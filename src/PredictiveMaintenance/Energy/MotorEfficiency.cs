namespace Fieldlab.PredictiveMaintenance.Energy;

/// <summary>IE efficiency classes of IEC 60034-30-1.</summary>
public enum IeClass
{
    /// <summary>Below IE1.</summary>
    BelowIe1,
    /// <summary>Standard efficiency.</summary>
    Ie1,
    /// <summary>High efficiency.</summary>
    Ie2,
    /// <summary>Premium efficiency.</summary>
    Ie3,
    /// <summary>Super premium efficiency.</summary>
    Ie4,
}

/// <summary>An induction motor's load and efficiency estimated in service from its electrical measurements and slip,
/// and its comparison with the IE efficiency classes.</summary>
/// <remarks>Slip method (U.S. DOE, "Determining Electric Motor Load and Efficiency", Motor Challenge fact sheet, 2014;
/// Hsu et al., IEEE Trans. Energy Conv. 13 (1998)): load ≈ slip / rated slip, output ≈ load × rated output; input
/// P = √3·V·I·cos φ; η = output / input. IE limits: IEC 60034-30-1:2014 Table 3 (4-pole, 50 Hz).</remarks>
public static class MotorEfficiency
{
    // Rated output (kW) → minimum efficiencies IE1, IE2, IE3, IE4 (%), 4-pole 50 Hz.
    private static readonly (double Kw, double Ie1, double Ie2, double Ie3, double Ie4)[] FourPole =
    [
        (0.75, 72.1, 79.6, 82.5, 85.7), (1.1, 75.0, 81.4, 84.1, 87.2), (1.5, 77.2, 82.8, 85.3, 88.2), (2.2, 79.7, 84.3, 86.7, 89.5),
        (3, 81.5, 85.5, 87.7, 90.4), (4, 83.1, 86.6, 88.6, 91.1), (5.5, 84.7, 87.7, 89.6, 91.9), (7.5, 86.0, 88.7, 90.4, 92.6),
        (11, 87.6, 89.8, 91.4, 93.3), (15, 88.7, 90.6, 92.1, 93.9), (18.5, 89.3, 91.2, 92.6, 94.2), (22, 89.9, 91.6, 93.0, 94.5),
    ];

    /// <summary>Three-phase input power, kW.</summary>
    public static double InputKw(double lineVoltage, double currentA, double powerFactor) => Math.Sqrt(3) * lineVoltage * currentA * powerFactor / 1000;

    /// <summary>Load fraction and efficiency by the slip method, with the slip corrected to the rated winding temperature
    /// when the winding temperature is measured: rotor resistance, and so slip at a given torque, grows with copper
    /// temperature as (234.5 + T) (Hsu et al. 1998; without it a cold motor reads 10–20 % under its load).</summary>
    public static (double Load, double OutputKw, double Efficiency) BySlip(double speedRpm, double supplyHz, int poles, double ratedSpeedRpm, double ratedOutputKw, double inputKw,
        double? windingTemperatureC = null, double ratedWindingTemperatureC = 95)
    {
        double synchronous = 120 * supplyHz / poles;
        double ratedSynchronous = 120 * 50.0 / poles;
        double slip = (synchronous - speedRpm) / synchronous, ratedSlip = (ratedSynchronous - ratedSpeedRpm) / ratedSynchronous;
        if (windingTemperatureC is { } t) slip *= (234.5 + ratedWindingTemperatureC) / (234.5 + t);
        double load = ratedSlip > 0 ? Math.Max(0, slip / ratedSlip) : double.NaN;
        double output = load * ratedOutputKw;
        return (load, output, inputKw > 0 ? output / inputKw : double.NaN);
    }

    /// <summary>The IE class minimums (%) for a rated output, from the nearest listed 4-pole rating at or below it.</summary>
    public static (double Ie1, double Ie2, double Ie3, double Ie4) Limits(double ratedOutputKw)
    {
        var row = FourPole.LastOrDefault(r => r.Kw <= ratedOutputKw + 1e-9);
        if (row.Kw == 0) row = FourPole[0];
        return (row.Ie1, row.Ie2, row.Ie3, row.Ie4);
    }

    /// <summary>The highest IE class whose minimum an efficiency (0..1) meets.</summary>
    public static IeClass ClassOf(double efficiency, double ratedOutputKw)
    {
        var (ie1, ie2, ie3, ie4) = Limits(ratedOutputKw);
        double pct = efficiency * 100;
        return pct >= ie4 ? IeClass.Ie4 : pct >= ie3 ? IeClass.Ie3 : pct >= ie2 ? IeClass.Ie2 : pct >= ie1 ? IeClass.Ie1 : IeClass.BelowIe1;
    }
}
