namespace Fieldlab.PredictiveMaintenance.Hydrogen;

/// <summary>Constants and closed forms of PEM electrochemistry shared by the electrolyser and fuel-cell models.</summary>
public static class Electrochemistry
{
    /// <summary>Faraday constant, C/mol (CODATA 2018).</summary>
    public const double Faraday = 96485.33212;

    /// <summary>Molar gas constant, J/(mol·K) (CODATA 2018).</summary>
    public const double GasConstant = 8.314462618;

    /// <summary>Molar mass of H₂, kg/mol.</summary>
    public const double HydrogenMolarMass = 2.01588e-3;

    /// <summary>Molar volume of an ideal gas at 0 °C and 1.01325 bar (normal litres per mole).</summary>
    public const double NormalLitresPerMole = 22.413969;

    /// <summary>Thermoneutral voltage of water electrolysis at 25 °C (HHV basis), V per cell.</summary>
    public const double ThermoneutralVoltage = 1.481;

    /// <summary>Higher heating value of hydrogen, J/mol (285.83 kJ/mol; 39.4 kWh/kg).</summary>
    public const double HhvJoulesPerMole = 285_830;

    /// <summary>Lower heating value of hydrogen, J/mol (241.82 kJ/mol; 33.3 kWh/kg).</summary>
    public const double LhvJoulesPerMole = 241_820;

    /// <summary>Reversible cell voltage of H₂ + ½O₂ ⇌ H₂O(l): E = 1.229 − 0.846 mV/K·(T − 298.15) + RT/(2F)·ln(p_H2·√p_O2)
    /// with partial pressures in bar (O'Hayre et al., "Fuel Cell Fundamentals", 3rd ed., eq. 2.37 and 2.44).</summary>
    public static double ReversibleVoltage(double temperatureK, double hydrogenBar = 1, double oxygenBar = 1) =>
        1.229 - 0.846e-3 * (temperatureK - 298.15)
        + GasConstant * temperatureK / (2 * Faraday) * Math.Log(hydrogenBar * Math.Sqrt(oxygenBar));

    /// <summary>Hydrogen produced (electrolysis) or consumed (fuel cell) by a stack, mol/s: ṅ = N·I/(2F)·η_F (Faraday's law).</summary>
    public static double HydrogenMolesPerSecond(double currentA, int cells, double faradayEfficiency = 1) =>
        cells * currentA / (2 * Faraday) * faradayEfficiency;
}
