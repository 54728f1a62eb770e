using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Gateway.Rigs.FuelCell;

/// <summary>The fuel-cell stack's steady state at a current and an age.</summary>
/// <remarks>Ageing is modelled as drift of the polarisation parameters (Jouin et al., "Degradations analysis and aging
/// modeling for health assessment and prognostics of PEMFC", RESS 148 (2016)): the area resistance grows linearly with
/// ageing hours so that the cell voltage at nominal current falls at the configured µV/h, and the exchange current density
/// decays (catalyst surface loss), so that the whole curve — not just one point — changes shape as it ages.</remarks>
public sealed class FuelCellStack(FuelCellParameters parameters)
{
    /// <summary>The stack's make-up.</summary>
    public FuelCellParameters Parameters { get; } = parameters;

    /// <summary>The polarisation parameters after <paramref name="ageingHours"/>, with fault factors applied.</summary>
    public PemCellParameters AgedCell(double ageingHours, double resistanceFactor = 1, double limitingFactor = 1)
    {
        var p = Parameters;
        var cell = p.Cell;
        // Two thirds of the rated loss through resistance, one third through catalyst activity (i0 decays).
        double lossV = p.DegradationMicrovoltsPerHour * 1e-6 * ageingHours;
        double resistance = cell.AreaResistance + (2.0 / 3.0) * lossV / p.NominalCurrentDensity;
        double i0 = cell.ExchangeCurrentDensity * Math.Exp(-(1.0 / 3.0) * lossV / cell.TafelSlopeV);
        return cell with
        {
            AreaResistance = resistance * resistanceFactor,
            ExchangeCurrentDensity = i0,
            LimitingCurrentDensity = cell.LimitingCurrentDensity * limitingFactor,
        };
    }

    /// <summary>Solves the operating point.</summary>
    public FuelCellOperatingPoint Solve(double currentA, PemCellParameters cell)
    {
        var p = Parameters;
        double i = Math.Max(0, currentA) / p.CellAreaCm2;
        double reversible = Electrochemistry.ReversibleVoltage(p.TemperatureC + 273.15, p.HydrogenBar, p.OxygenBar);
        double voltage = PemCell.FuelCellVoltage(i, reversible, cell);
        double reacted = Electrochemistry.HydrogenMolesPerSecond(currentA, p.Cells);
        double consumed = reacted * (1 + p.HydrogenLossFraction);
        return new FuelCellOperatingPoint(currentA, voltage, voltage * p.Cells, voltage * p.Cells * currentA, consumed);
    }
}

/// <summary>Fuel-cell state at one instant (before noise).</summary>
/// <param name="CurrentA">Stack current.</param>
/// <param name="CellVoltage">Mean cell voltage.</param>
/// <param name="StackVoltage">Stack voltage.</param>
/// <param name="PowerW">Electrical power out.</param>
/// <param name="HydrogenMolPerS">Hydrogen consumed (reacted plus crossover and purge losses).</param>
public readonly record struct FuelCellOperatingPoint(double CurrentA, double CellVoltage, double StackVoltage, double PowerW, double HydrogenMolPerS)
{
    /// <summary>Electrical efficiency on the lower heating value.</summary>
    public double EfficiencyLhv => HydrogenMolPerS > 0 ? PowerW / (HydrogenMolPerS * Electrochemistry.LhvJoulesPerMole) : 0;
}
