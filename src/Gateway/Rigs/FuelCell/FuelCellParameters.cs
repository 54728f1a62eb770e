using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Gateway.Rigs.FuelCell;

/// <summary>The simulated PEM fuel-cell stack, sized like the FCLAB FC1 test stack (5 cells × 100 cm²).</summary>
public sealed record FuelCellParameters
{
    /// <summary>Cells in series.</summary>
    public int Cells { get; init; } = 5;

    /// <summary>Active area per cell, cm².</summary>
    public double CellAreaCm2 { get; init; } = 100;

    /// <summary>Polarisation parameters per cell when new.</summary>
    public PemCellParameters Cell { get; init; } = PemCellParameters.FuelCell;

    /// <summary>Stack temperature, °C.</summary>
    public double TemperatureC { get; init; } = 55;

    /// <summary>Hydrogen and oxygen partial pressures at the electrodes, bar.</summary>
    public double HydrogenBar { get; init; } = 1.5;

    /// <summary>Oxygen partial pressure at the cathode, bar.</summary>
    public double OxygenBar { get; init; } = 0.3;

    /// <summary>Nominal current density, A/cm² (FC1 ran at 0.70 A/cm²).</summary>
    public double NominalCurrentDensity { get; init; } = 0.70;

    /// <summary>Load profile: <c>constant</c> (FC1) or <c>dynamic</c> (ripple and steps, like FC2).</summary>
    public string Profile { get; init; } = "constant";

    /// <summary>Cell voltage loss per operating hour at nominal current under constant load, µV/h
    /// (the FCLAB FC1 stack lost roughly 30–40 µV/h per cell).</summary>
    public double DegradationMicrovoltsPerHour { get; init; } = 35;

    /// <summary>How much faster a dynamic load ages the stack than a constant one.</summary>
    public double DynamicLoadAgeingFactor { get; init; } = 1.5;

    /// <summary>Operating hours per real hour.</summary>
    public double TimeAcceleration { get; init; } = 1;

    /// <summary>Operating hours on the stack at start.</summary>
    public double InitialOperatingHours { get; init; }

    /// <summary>Hydrogen lost by crossover and purging, as a fraction of the hydrogen reacted.</summary>
    public double HydrogenLossFraction { get; init; } = 0.02;
}
