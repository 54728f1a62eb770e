namespace Fieldlab.PredictiveMaintenance.Hydrogen;

/// <summary>The parameters of the PEM polarisation model (see <see cref="PemCell"/>), per cell.</summary>
/// <param name="TafelSlopeV">A = RT/(αF) for electrolysis (asinh form) or RT/(2αF) for the fuel cell (ln form), volts.</param>
/// <param name="ExchangeCurrentDensity">i₀, A/cm².</param>
/// <param name="AreaResistance">Area-specific ohmic resistance R, Ω·cm² (membrane, contacts).</param>
/// <param name="ConcentrationCoefficientV">B, volts: the mass-transport term is B·ln(1 − i/i_lim).</param>
/// <param name="LimitingCurrentDensity">i_lim, A/cm².</param>
/// <param name="CrossoverCurrentDensity">i_n, A/cm²: fuel crossover and internal currents (fuel cell only).</param>
public sealed record PemCellParameters(
    double TafelSlopeV,
    double ExchangeCurrentDensity,
    double AreaResistance,
    double ConcentrationCoefficientV,
    double LimitingCurrentDensity,
    double CrossoverCurrentDensity = 0)
{
    /// <summary>A PEM electrolyser cell at 60 °C (Nafion 117-class membrane, Ir/Pt catalysts): ≈ 1.74 V at 1 A/cm², ≈ 1.97 V at 2 A/cm²
    /// (α = 0.5, so A = RT/(αF) = 57.4 mV at 333 K; apparent i₀ including the catalyst roughness).</summary>
    public static PemCellParameters Electrolyser { get; } = new(TafelSlopeV: 0.0574, ExchangeCurrentDensity: 2e-3, AreaResistance: 0.18,
        ConcentrationCoefficientV: 0.03, LimitingCurrentDensity: 4.0);

    /// <summary>A PEM fuel cell at 55 °C, close to the FCLAB FC1 stack: ≈ 0.73 V at 0.2 A/cm², ≈ 0.64 V at 0.7 A/cm².</summary>
    public static PemCellParameters FuelCell { get; } = new(TafelSlopeV: 0.030, ExchangeCurrentDensity: 5e-7, AreaResistance: 0.12,
        ConcentrationCoefficientV: 0.05, LimitingCurrentDensity: 1.5, CrossoverCurrentDensity: 2e-3);

    /// <summary>Problems with the values, or empty.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(TafelSlopeV > 0)) yield return "tafel slope must be positive";
        if (!(ExchangeCurrentDensity > 0)) yield return "exchange current density must be positive";
        if (!(AreaResistance >= 0)) yield return "area resistance must not be negative";
        if (!(ConcentrationCoefficientV >= 0)) yield return "concentration coefficient must not be negative";
        if (!(LimitingCurrentDensity > 0)) yield return "limiting current density must be positive";
        if (!(CrossoverCurrentDensity >= 0)) yield return "crossover current density must not be negative";
    }
}
