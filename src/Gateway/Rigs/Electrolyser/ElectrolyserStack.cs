using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Gateway.Rigs.Electrolyser;

/// <summary>The electrolyser's steady electrical and chemical state at a current, temperature and age.</summary>
public sealed class ElectrolyserStack(ElectrolyserParameters parameters)
{
    /// <summary>The stack's make-up.</summary>
    public ElectrolyserParameters Parameters { get; } = parameters;

    /// <summary>Solves the operating point after <paramref name="ageingHours"/> of ageing; <paramref name="faradayLoss"/>
    /// is extra crossover loss from a fault.</summary>
    public ElectrolyserOperatingPoint Solve(double currentA, double temperatureC, double ageingHours, double faradayLoss = 0)
    {
        var p = Parameters;
        double i = Math.Max(0, currentA) / p.CellAreaCm2;
        double reversible = Electrochemistry.ReversibleVoltage(temperatureC + 273.15);
        // Ageing adds to the cell voltage linearly with operating hours (the µV/h figure stacks are rated by).
        double cell = i > 0 ? PemCell.ElectrolysisVoltage(i, reversible, p.Cell) + p.DegradationMicrovoltsPerHour * 1e-6 * ageingHours : reversible;
        // Faraday efficiency: the crossover current produces no net hydrogen (Carmo et al. 2013, §3.4).
        double faraday = i > 0 ? Math.Clamp(1 - p.CrossoverCurrentDensity / i - faradayLoss, 0, 1) : 0;
        double h2MolPerS = Electrochemistry.HydrogenMolesPerSecond(currentA, p.Cells, faraday);
        double powerW = cell * p.Cells * currentA;
        // Heat released: the part of the electrical power above the thermoneutral voltage.
        double heatW = (cell - Electrochemistry.ThermoneutralVoltage) * p.Cells * currentA;
        return new ElectrolyserOperatingPoint(currentA, cell, cell * p.Cells, powerW, faraday, h2MolPerS, heatW);
    }
}

/// <summary>Electrolyser state at one instant (before sensor noise).</summary>
/// <param name="CurrentA">Stack current.</param>
/// <param name="CellVoltage">Mean cell voltage.</param>
/// <param name="StackVoltage">Stack voltage.</param>
/// <param name="PowerW">DC power into the stack.</param>
/// <param name="FaradayEfficiency">Fraction of the current that produces hydrogen.</param>
/// <param name="HydrogenMolPerS">Hydrogen produced.</param>
/// <param name="HeatW">Heat released in the stack.</param>
public readonly record struct ElectrolyserOperatingPoint(double CurrentA, double CellVoltage, double StackVoltage, double PowerW, double FaradayEfficiency, double HydrogenMolPerS, double HeatW)
{
    /// <summary>Specific energy consumption, kWh per kg of hydrogen (DC stack power only).</summary>
    public double SpecificEnergyKwhPerKg => HydrogenMolPerS > 0 ? PowerW / 1000 / (HydrogenMolPerS * Electrochemistry.HydrogenMolarMass * 3600) : double.NaN;
}
