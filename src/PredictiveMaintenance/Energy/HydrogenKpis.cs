using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.PredictiveMaintenance.Energy;

/// <summary>Energy indicators of PEM electrolysers and fuel cells from their measured current, voltages, power and
/// hydrogen flow.</summary>
/// <remarks>Faraday's law ṅ = N·I/(2F); HHV 285.83 kJ/mol (39.4 kWh/kg), LHV 241.82 kJ/mol (33.3 kWh/kg); thermoneutral
/// voltage 1.481 V (Carmo et al., "A comprehensive review on PEM water electrolysis", Int. J. Hydrogen Energy 38 (2013),
/// §2; O'Hayre et al., "Fuel Cell Fundamentals", 3rd ed., §2.5). Normal litres at 0 °C, 1.01325 bar.</remarks>
public static class HydrogenKpis
{
    /// <summary>Hydrogen flow in mol/s from normal litres per minute.</summary>
    public static double MolesPerSecond(double normalLitresPerMinute) => normalLitresPerMinute / 60 / Electrochemistry.NormalLitresPerMole;

    /// <summary>Cells in the stack, from stack and mean cell voltage.</summary>
    public static int Cells(double stackVoltage, double cellVoltage) => cellVoltage > 0 ? (int)Math.Round(stackVoltage / cellVoltage) : 0;

    /// <summary>Electrolyser specific energy consumption, kWh per kg H₂ produced.</summary>
    public static double SpecificEnergyKwhPerKg(double powerKw, double hydrogenNlPerMin)
    {
        double kgPerHour = MolesPerSecond(hydrogenNlPerMin) * Electrochemistry.HydrogenMolarMass * 3600;
        return kgPerHour > 0 ? powerKw / kgPerHour : double.NaN;
    }

    /// <summary>Electrolyser voltage efficiency on the HHV basis: 1.481 V / cell voltage.</summary>
    public static double VoltageEfficiencyHhv(double cellVoltage) => cellVoltage > 0 ? Electrochemistry.ThermoneutralVoltage / cellVoltage : double.NaN;

    /// <summary>Faraday efficiency: hydrogen measured / hydrogen the current should make (electrolyser) or consume (fuel cell).</summary>
    public static double FaradayEfficiency(double hydrogenNlPerMin, double currentA, int cells)
    {
        double theoretical = Electrochemistry.HydrogenMolesPerSecond(currentA, cells);
        return theoretical > 0 ? MolesPerSecond(hydrogenNlPerMin) / theoretical : double.NaN;
    }

    /// <summary>Fuel-cell electrical efficiency: power out / chemical power of the hydrogen consumed, on the LHV and the HHV basis.</summary>
    public static (double Lhv, double Hhv) FuelCellEfficiency(double powerKw, double hydrogenNlPerMin)
    {
        double mol = MolesPerSecond(hydrogenNlPerMin);
        if (mol <= 0) return (double.NaN, double.NaN);
        return (powerKw * 1000 / (mol * Electrochemistry.LhvJoulesPerMole), powerKw * 1000 / (mol * Electrochemistry.HhvJoulesPerMole));
    }

    /// <summary>Voltage drift per cell in µV/h from (operating hours, current, cell voltage) samples: the hours
    /// coefficient of a regression of cell voltage on hours and current (so that load changes do not pass for ageing).</summary>
    public static double DegradationMicrovoltsPerHour(IReadOnlyList<(double Hours, double CurrentA, double CellVoltage)> samples) =>
        VoltageTrend([.. samples.Select(s => (s.Hours, s.CurrentA, double.NaN, s.CellVoltage))]).VoltsPerHour * 1e6;

    /// <summary>The regression U_cell = a + b·hours + c·current + d·temperature behind
    /// <see cref="DegradationMicrovoltsPerHour"/> (b in V/h, c in V/A, d in V/K): load and temperature change the cell
    /// voltage within minutes and must not pass for ageing. A regressor that does not vary (or a NaN temperature) is
    /// left out and its coefficient reported as 0.</summary>
    public static (double Intercept, double VoltsPerHour, double VoltsPerAmp, double VoltsPerKelvin) VoltageTrend(
        IReadOnlyList<(double Hours, double CurrentA, double TemperatureC, double CellVoltage)> samples)
    {
        if (samples.Count < 10) throw new ArgumentException("Need at least 10 samples to estimate a drift.");
        double span = samples.Max(s => s.Hours) - samples.Min(s => s.Hours);
        if (span <= 0) throw new ArgumentException("The samples cover no operating time.");
        bool Varies(Func<(double Hours, double CurrentA, double TemperatureC, double CellVoltage), double> pick) =>
            samples.All(s => double.IsFinite(pick(s))) && samples.Max(pick) - samples.Min(pick) > 1e-6 * Math.Max(1, Math.Abs(pick(samples[0])));
        bool current = Varies(s => s.CurrentA), temperature = Varies(s => s.TemperatureC);
        var columns = new List<Func<(double Hours, double CurrentA, double TemperatureC, double CellVoltage), double>> { _ => 1, s => s.Hours };
        if (current) columns.Add(s => s.CurrentA);
        if (temperature) columns.Add(s => s.TemperatureC);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(samples.Count, columns.Count, (i, j) => columns[j](samples[i]));
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(samples.Count, i => samples[i].CellVoltage);
        var beta = x.QR().Solve(y);
        return (beta[0], beta[1], current ? beta[2] : 0, temperature ? beta[columns.Count - 1] : 0);
    }
}
