namespace Fieldlab.Api.Live;

/// <summary>The figures a rig's tile shows beside its raw sensors, derived from the newest values of one scalar stream:
/// pump head and wire-to-water efficiency, electrolyser specific energy, fuel-cell efficiency. Each figure carries its
/// unit; a figure whose inputs are missing or meaningless (no flow, no power) is left out rather than shown as 0.</summary>
public static class KeyFigures
{
    /// <summary>Density of water at 20 °C, kg/m³ (IAPWS-95: 998.2).</summary>
    public const double WaterDensity = 998.2;

    /// <summary>Standard gravity, m/s² (CGPM 1901).</summary>
    public const double Gravity = 9.80665;

    /// <summary>Density of hydrogen at normal conditions (0 °C, 101.325 kPa), kg/m³ (NIST Chemistry WebBook: 0.08988).</summary>
    public const double HydrogenNormalDensity = 0.08988;

    /// <summary>Lower heating value of hydrogen, kWh/kg (33.33; DOE Hydrogen Program Record 9003: 120 MJ/kg).</summary>
    public const double HydrogenLhvKwhPerKg = 33.33;

    /// <summary>Higher heating value of hydrogen, kWh/kg (39.41; 141.9 MJ/kg).</summary>
    public const double HydrogenHhvKwhPerKg = 39.41;

    /// <summary>The derived figures of a rig of <paramref name="kind"/> from its newest values (sensor id → value).</summary>
    public static IReadOnlyDictionary<string, Figure> Of(string? kind, IReadOnlyDictionary<string, double> v)
    {
        var figures = new Dictionary<string, Figure>(StringComparer.Ordinal);
        switch (kind)
        {
            case "pump":
                if (v.TryGetValue("discharge_pressure", out var pd) && v.TryGetValue("suction_pressure", out var ps))
                {
                    // Head from the pressure rise, H = Δp / (ρ g) (velocity head and gauge heights neglected: same pipe size).
                    double headM = (pd - ps) * 1e5 / (WaterDensity * Gravity);
                    figures["head"] = new Figure(headM, "m");
                    if (v.TryGetValue("flow", out var q) && v.TryGetValue("motor_power", out var p) && p > 0.05 && q > 0)
                    {
                        // Wire-to-water efficiency: hydraulic power ρ g Q H over electrical input (ISO 9906 definitions).
                        double hydraulicKw = WaterDensity * Gravity * (q / 3600) * headM / 1000;
                        figures["hydraulic_power"] = new Figure(hydraulicKw, "kW");
                        figures["wire_to_water"] = new Figure(100 * hydraulicKw / p, "%");
                    }
                }
                break;
            case "electrolyser":
                if (v.TryGetValue("power", out var pe) && v.TryGetValue("h2_flow", out var fe) && fe > 0.01 && pe > 0.02)
                {
                    double kgPerHour = HydrogenKgPerHour(fe);
                    figures["h2_production"] = new Figure(kgPerHour * 1000, "g/h");
                    figures["specific_energy"] = new Figure(pe / kgPerHour, "kWh/kg");
                }
                break;
            case "fuel-cell":
                if (v.TryGetValue("power", out var pf) && v.TryGetValue("h2_flow", out var ff) && ff > 0.01 && pf > 0.02)
                {
                    double chemicalKw = HydrogenKgPerHour(ff) * HydrogenLhvKwhPerKg;
                    figures["efficiency_lhv"] = new Figure(100 * pf / chemicalKw, "%");
                }
                break;
        }
        return figures;
    }

    /// <summary>Mass flow of hydrogen in kg/h from a volume flow in normal litres per minute.</summary>
    public static double HydrogenKgPerHour(double normalLitresPerMinute) => normalLitresPerMinute * 60 / 1000 * HydrogenNormalDensity;
}

/// <summary>A derived value and its unit.</summary>
public readonly record struct Figure(double Value, string Unit);
