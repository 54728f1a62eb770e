using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Gateway.Rigs.Electrolyser;

/// <summary>The simulated PEM electrolyser stack and its balance of plant.</summary>
public sealed record ElectrolyserParameters
{
    /// <summary>Cells in series.</summary>
    public int Cells { get; init; } = 10;

    /// <summary>Active area per cell, cm².</summary>
    public double CellAreaCm2 { get; init; } = 50;

    /// <summary>Rated current density, A/cm².</summary>
    public double RatedCurrentDensity { get; init; } = 1.5;

    /// <summary>Polarisation parameters per cell.</summary>
    public PemCellParameters Cell { get; init; } = PemCellParameters.Electrolyser;

    /// <summary>Hydrogen crossover expressed as a current density, A/cm²: Faraday efficiency η_F = 1 − i_x/i.</summary>
    public double CrossoverCurrentDensity { get; init; } = 0.01;

    /// <summary>Stack temperature the cooling loop holds, °C.</summary>
    public double SetpointC { get; init; } = 60;

    /// <summary>Heat the cooling loop can remove, W.</summary>
    public double CoolingCapacityW { get; init; } = 2000;

    /// <summary>Thermal time constant of stack and water loop, s.</summary>
    public double ThermalTimeConstantS { get; init; } = 300;

    /// <summary>Cell voltage increase per operating hour in good health, µV/h (literature: 4–20 µV/h for PEM stacks).</summary>
    public double DegradationMicrovoltsPerHour { get; init; } = 12;

    /// <summary>Operating hours the stack ages per real hour (1 = real time; 60 = an operating hour per real minute).</summary>
    public double TimeAcceleration { get; init; } = 1;

    /// <summary>Operating hours already on the stack at start.</summary>
    public double InitialOperatingHours { get; init; }

    /// <summary>Rated current, A.</summary>
    public double RatedCurrentA => RatedCurrentDensity * CellAreaCm2;
}
