using System.Globalization;
using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Cli.Eval;

/// <summary><c>./fieldlab eval fuelcell DIR</c>: the fuel-cell rig's polarisation model fitted to a real stack's curves,
/// the drift of its parameters, a rolling-origin forecast of the voltage at 0.70 A/cm², and the degradation rate from
/// monitoring data. Last line <c>fuelcell fit_rmse_mv=R forecast_mape_pct=E</c>.</summary>
/// <remarks>
/// (1) Each curve (binned to 0.01 A/cm²) is fitted with all five parameters of <see cref="PemCell.FuelCellVoltage"/>
/// (A, i₀, R, B, i_lim; reversible voltage from the Nernst equation at 55 °C, 1.3 bar H₂, 0.27 bar O₂; crossover
/// 2 mA/cm², the simulator's value); R is the RMSE in mV per cell over all curves. (2) Ageing is tracked as the
/// simulator models it: A, B and i_lim are held at the first curve's values and each curve gets its own R and i₀.
/// For every origin k ≥ 1 (at least two curves), R and ln i₀ are extrapolated linearly in time from curves 0…k only,
/// and the predicted voltage at 0.70 A/cm² of every later curve is compared with the measured one; E is the mean
/// absolute percentage error over all (origin, later curve) pairs. (3) With monitoring data, the voltage drift at
/// constant current is the slope of the mean cell voltage over time (µV/h per cell), compared with the slope of the
/// measured 0.70 A/cm² voltage across the curves.
/// </remarks>
internal static class FuelCellEvaluation
{
    private const double Nominal = 0.70;

    public static int Run(string dir, TextWriter output)
    {
        var data = FuelCellData.Read(dir);
        double reversible = Electrochemistry.ReversibleVoltage(328.15, 1.3, 0.21 * 1.3);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuelcell {data.Stack}: {data.Curves.Count} polarisation curves ({string.Join(", ", data.Curves.Select(c => $"{c.Hours:0} h"))}), {data.Curves[0].Cells} cells of {data.Curves[0].AreaCm2:F0} cm²; {data.Monitoring.Count} monitoring rows"));

        // (1) Full fits.
        var start = PemCellParameters.FuelCell;
        var fits = new List<(PolarisationCurve Curve, PemCellParameters P, double Rmse)>();
        double sumSquares = 0;
        int points = 0;
        foreach (var curve in data.Curves)
        {
            var binned = curve.Binned();
            var (p, rmse) = PolarisationFit.FitFuelCell(binned, reversible, start);
            fits.Add((curve, p, rmse));
            sumSquares += rmse * rmse * binned.Count;
            points += binned.Count;
        }
        double fitRmseMv = Math.Sqrt(sumSquares / points) * 1000;

        // (2) Ageing as R and i0 drift with A, B, i_lim fixed at the first curve.
        var reference = fits[0].P;
        var aged = data.Curves.Select(c => PolarisationFit.FitFuelCell(c.Binned(), reversible, reference,
            PolarisationFit.Free.Resistance | PolarisationFit.Free.ExchangeCurrent)).ToList();
        var errors = new List<double>();
        var persistence = new List<double>(); // the yardstick: "the voltage stays where it was at the origin"
        var forecasts = new Dictionary<(int Origin, int Target), double>();
        for (int k = 1; k < data.Curves.Count - 1; k++)
        {
            var times = data.Curves.Take(k + 1).Select(c => c.Hours).ToArray();
            var (r0, r1) = Line(times, aged.Take(k + 1).Select(a => a.Parameters.AreaResistance).ToArray());
            var (i0, i1) = Line(times, aged.Take(k + 1).Select(a => Math.Log(a.Parameters.ExchangeCurrentDensity)).ToArray());
            for (int j = k + 1; j < data.Curves.Count; j++)
            {
                double t = data.Curves[j].Hours;
                var predicted = reference with { AreaResistance = Math.Max(1e-6, r0 + r1 * t), ExchangeCurrentDensity = Math.Exp(i0 + i1 * t) };
                double v = PemCell.FuelCellVoltage(Nominal, reversible, predicted), actual = data.Curves[j].VoltageAt(Nominal);
                if (!double.IsFinite(actual)) continue;
                forecasts[(k, j)] = v;
                errors.Add(Math.Abs(v - actual) / actual * 100);
                persistence.Add(Math.Abs(data.Curves[k].VoltageAt(Nominal) - actual) / actual * 100);
            }
        }
        double mape = errors.Count > 0 ? errors.Average() : double.NaN;

        output.WriteLine();
        output.WriteLine("| t (h) | fit RMSE (mV/cell) | A (mV) | i₀ (A/cm²) | R (Ω·cm²) | B (mV) | i_lim (A/cm²) | aged R | aged i₀ | U(0.70) measured (V/cell) | forecast from the previous curves |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int j = 0; j < fits.Count; j++)
        {
            var (curve, p, rmse) = fits[j];
            var made = forecasts.Where(f => f.Key.Target == j).OrderBy(f => f.Key.Origin).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Value:F4} (from {data.Curves[f.Key.Origin].Hours:0} h)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {curve.Hours:0} | {rmse * 1000:F2} | {p.TafelSlopeV * 1000:F1} | {p.ExchangeCurrentDensity:E2} | {p.AreaResistance:F4} | {p.ConcentrationCoefficientV * 1000:F1} | {p.LimitingCurrentDensity:F3} | {aged[j].Parameters.AreaResistance:F4} | {aged[j].Parameters.ExchangeCurrentDensity:E2} | {curve.VoltageAt(Nominal):F4} | {string.Join("; ", made)} |"));
        }
        output.WriteLine();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuelcell: rolling-origin forecast of U(0.70) over {errors.Count} (origin, later curve) pairs: MAPE {mape:F2} % (persistence of the origin's voltage: {(persistence.Count > 0 ? persistence.Average() : double.NaN):F2} %)"));

        // (3) Degradation rates.
        var nominal = data.Curves.Where(c => double.IsFinite(c.VoltageAt(Nominal))).ToList();
        double curveRate = nominal.Count >= 2 ? Line([.. nominal.Select(c => c.Hours)], [.. nominal.Select(c => c.VoltageAt(Nominal))]).Slope * 1e6 : double.NaN;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuelcell: voltage drift at 0.70 A/cm² from the curves: {curveRate:F1} µV/h per cell ({nominal.First().Hours:0}–{nominal.Last().Hours:0} h)"));
        if (data.Monitoring.Count >= 10)
        {
            double typical = data.Monitoring.Select(m => m.CurrentA).Order().ElementAt(data.Monitoring.Count / 2);
            var steady = data.Monitoring.Where(m => Math.Abs(m.CurrentA - typical) <= 0.02 * typical).ToList();
            var (_, slope) = Line([.. steady.Select(m => m.Hours)], [.. steady.Select(m => m.CellVoltage)]);
            var recent = nominal.Where(c => c.Hours >= steady[0].Hours - 400).ToList();
            double recentRate = recent.Count >= 2 ? Line([.. recent.Select(c => c.Hours)], [.. recent.Select(c => c.VoltageAt(Nominal))]).Slope * 1e6 : double.NaN;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fuelcell: monitoring {steady[0].Hours:F1}–{steady[^1].Hours:F1} h at {typical:F1} A: {slope * 1e6:F1} µV/h per cell; the curves over the last 400 h before it: {recentRate:F1} µV/h per cell"));
        }
        else
        {
            output.WriteLine("fuelcell: no monitoring data: drift from the curves only");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fuelcell fit_rmse_mv={fitRmseMv:F2} forecast_mape_pct={mape:F2}"));
        return 0;
    }

    private static (double Intercept, double Slope) Line(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), num = 0, den = 0;
        for (int i = 0; i < x.Length; i++) { num += (x[i] - mx) * (y[i] - my); den += (x[i] - mx) * (x[i] - mx); }
        double slope = den > 0 ? num / den : 0;
        return (my - slope * mx, slope);
    }
}
