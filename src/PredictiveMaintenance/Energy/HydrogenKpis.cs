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

    /// <summary>The regression U_cell = a + b·hours + c·current + c'·ln(current) + d·temperature behind
    /// <see cref="DegradationMicrovoltsPerHour"/> (b in V/h, c in V/A, d in V/K): load and temperature change the cell
    /// voltage within minutes and must not pass for ageing. The ln term is the polarisation curve's activation (Tafel)
    /// part, the linear one its ohmic part (<see cref="Hydrogen.PemCell"/>): with a linear term alone, a slow load ramp
    /// that happens to run with time leaves curvature that reads as drift. A regressor that does not vary (or a NaN
    /// temperature) is left out; <c>VoltsPerAmp</c> is then the linear coefficient only, and
    /// <see cref="VoltageAt"/> gives the fitted voltage at any current.</summary>
    public static (double Intercept, double VoltsPerHour, double VoltsPerAmp, double VoltsPerKelvin) VoltageTrend(
        IReadOnlyList<(double Hours, double CurrentA, double TemperatureC, double CellVoltage)> samples)
    {
        var fit = Trend(samples);
        return (fit.Beta[0], fit.Beta[1], fit.Current ? fit.Beta[2] : 0, fit.Temperature ? fit.Beta[^1] : 0);
    }

    /// <summary>The voltage the drift regression expects at an operating time, current and temperature.</summary>
    public static double VoltageAt(IReadOnlyList<(double Hours, double CurrentA, double TemperatureC, double CellVoltage)> samples, double hours, double currentA, double temperatureC)
    {
        var fit = Trend(samples);
        double v = fit.Beta[0] + fit.Beta[1] * hours;
        int k = 2;
        if (fit.Current) { v += fit.Beta[k++] * currentA + fit.Beta[k++] * Math.Log(Math.Max(currentA, 1e-6)); }
        if (fit.Temperature) v += fit.Beta[k] * temperatureC;
        return v;
    }

    private static (double[] Beta, bool Current, bool Temperature) Trend(IReadOnlyList<(double Hours, double CurrentA, double TemperatureC, double CellVoltage)> samples)
    {
        if (samples.Count < 10) throw new ArgumentException("Need at least 10 samples to estimate a drift.");
        double span = samples.Max(s => s.Hours) - samples.Min(s => s.Hours);
        if (span <= 0) throw new ArgumentException("The samples cover no operating time.");
        bool Varies(Func<(double Hours, double CurrentA, double TemperatureC, double CellVoltage), double> pick) =>
            samples.All(s => double.IsFinite(pick(s))) && samples.Max(pick) - samples.Min(pick) > 1e-6 * Math.Max(1, Math.Abs(pick(samples[0])));
        bool current = Varies(s => s.CurrentA) && samples.All(s => s.CurrentA > 0), temperature = Varies(s => s.TemperatureC);
        var columns = new List<Func<(double Hours, double CurrentA, double TemperatureC, double CellVoltage), double>> { _ => 1, s => s.Hours };
        if (current) { columns.Add(s => s.CurrentA); columns.Add(s => Math.Log(s.CurrentA)); }
        if (temperature) columns.Add(s => s.TemperatureC);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(samples.Count, columns.Count, (i, j) => columns[j](samples[i]));
        var y = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(samples.Count, i => samples[i].CellVoltage);
        // When the load (or temperature) moved in step with time, ageing and load cannot be told apart: any split of
        // the voltage rise between them fits. Refuse rather than report a drift that is really a load change.
        if (columns.Count > 2)
        {
            var others = x.RemoveColumn(1);
            var hoursColumn = x.Column(1);
            var explained = others * others.QR().Solve(hoursColumn);
            double mean = hoursColumn.Average(), sst = hoursColumn.Sum(h => (h - mean) * (h - mean));
            double r2 = sst > 0 ? 1 - (hoursColumn - explained).DotProduct(hoursColumn - explained) / sst : 1;
            if (r2 > 0.9) throw new ArgumentException($"Drift not identifiable: operating time is {r2:P0} explained by load and temperature in these samples; it needs a load that varies independently of time.");
        }
        return (x.QR().Solve(y).ToArray(), current, temperature);
    }
}
