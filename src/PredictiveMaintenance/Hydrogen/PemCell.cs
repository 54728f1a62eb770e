namespace Fieldlab.PredictiveMaintenance.Hydrogen;

/// <summary>The polarisation curve of a PEM cell: reversible voltage plus (electrolysis) or minus (fuel cell) the
/// activation, ohmic and concentration losses. The rig simulators use it to make data, and the fuel-cell evaluation fits
/// it to real curves, so the simulator's physics is checked against a real stack.</summary>
/// <remarks>
/// Electrolysis: V = E_rev + A·asinh(i/(2·i₀)) + R·i − B·ln(1 − i/i_lim)
/// (Carmo et al., "A comprehensive review on PEM water electrolysis", IJHE 38 (2013), §3; Butler–Volmer symmetric form).
/// Fuel cell: V = E_rev − A·ln((i + i_n)/i₀) − R·(i) + B·ln(1 − (i + i_n)/i_lim)
/// (Larminie &amp; Dicks, "Fuel Cell Systems Explained", 2nd ed., eq. 3.16 with the mass-transport term of §3.7).
/// i in A/cm².
/// </remarks>
public static class PemCell
{
    /// <summary>Cell voltage of an electrolyser cell at current density <paramref name="i"/> (A/cm², ≥ 0).</summary>
    public static double ElectrolysisVoltage(double i, double reversibleVoltage, PemCellParameters p)
    {
        double load = Math.Min(i / p.LimitingCurrentDensity, 0.999);
        return reversibleVoltage
            + p.TafelSlopeV * Math.Asinh(i / (2 * p.ExchangeCurrentDensity))
            + p.AreaResistance * i
            - p.ConcentrationCoefficientV * Math.Log(1 - load);
    }

    /// <summary>Cell voltage of a fuel cell at current density <paramref name="i"/> (A/cm², ≥ 0).</summary>
    public static double FuelCellVoltage(double i, double reversibleVoltage, PemCellParameters p)
    {
        double effective = i + p.CrossoverCurrentDensity;
        double load = Math.Min(effective / p.LimitingCurrentDensity, 0.999);
        return reversibleVoltage
            - p.TafelSlopeV * Math.Log(effective / p.ExchangeCurrentDensity)
            - p.AreaResistance * i
            + p.ConcentrationCoefficientV * Math.Log(1 - load);
    }
}
