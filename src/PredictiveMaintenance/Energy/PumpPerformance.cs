using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Energy;

/// <summary>A pump's head and wire-to-water efficiency curves learnt from its operating history, referred to rated speed
/// by the affinity laws, and what follows from them: the best efficiency point, the distance of a duty point from it,
/// specific energy, and the energy a better duty point would save.</summary>
/// <remarks>
/// Hydraulic power P_h = ρ·g·Q·H = Q·Δp (Gülich, "Centrifugal Pumps", 3rd ed., §2.1); wire-to-water efficiency
/// η = P_h / P_el (the whole drive train: VFD, motor, pump). Affinity laws Q ∝ n, H ∝ n², η ≈ const (Gülich §3.4):
/// each row is referred to rated speed, Q' = Q/s, H' = H/s², s = n/n₀. Least squares: H'(Q') = h₀ + h₁Q' + h₂Q'² and
/// η(Q') = e₁Q' + e₂Q'² (through the origin); the BEP is the vertex Q* = −e₁/(2e₂). Savings follow Europump/Hydraulic
/// Institute "Variable Speed Pumping" (2004): the same hydraulic work at the BEP efficiency.
/// </remarks>
public sealed class PumpPerformance
{
    private const double G = 9.80665;
    private readonly double[] _head;       // h0, h1, h2
    private readonly double[] _efficiency; // e1, e2

    private PumpPerformance(double ratedSpeedRpm, double[] head, double[] efficiency, int rows)
    {
        RatedSpeedRpm = ratedSpeedRpm;
        _head = head;
        _efficiency = efficiency;
        Rows = rows;
    }

    /// <summary>Speed the curves are referred to.</summary>
    public double RatedSpeedRpm { get; }

    /// <summary>History rows the fit used.</summary>
    public int Rows { get; }

    /// <summary>Flow of the best efficiency point at rated speed, m³/h.</summary>
    public double BepFlowM3h => -_efficiency[0] / (2 * _efficiency[1]);

    /// <summary>Wire-to-water efficiency at the BEP.</summary>
    public double BepEfficiency => WireToWater(BepFlowM3h);

    /// <summary>Head at the BEP at rated speed, m.</summary>
    public double BepHeadM => Head(BepFlowM3h);

    /// <summary>Fitted head at rated speed, m.</summary>
    public double Head(double flowM3h) => _head[0] + _head[1] * flowM3h + _head[2] * flowM3h * flowM3h;

    /// <summary>Fitted wire-to-water efficiency at a rated-speed flow.</summary>
    public double WireToWater(double flowM3h) => _efficiency[0] * flowM3h + _efficiency[1] * flowM3h * flowM3h;

    /// <summary>Hydraulic power in kW of a flow (m³/h) against a pressure rise (bar).</summary>
    public static double HydraulicPowerKw(double flowM3h, double pressureRiseBar) => flowM3h / 3600 * pressureRiseBar * 1e5 / 1000;

    /// <summary>Head in metres of a pressure rise (bar) for a liquid density (kg/m³).</summary>
    public static double HeadM(double pressureRiseBar, double densityKgM3 = 998.2) => pressureRiseBar * 1e5 / (densityKgM3 * G);

    /// <summary>Electrical energy per volume pumped, kWh/m³.</summary>
    public static double SpecificEnergyKwhPerM3(double electricalKw, double flowM3h) => flowM3h > 0 ? electricalKw / flowM3h : double.NaN;

    /// <summary>Where a duty point lies relative to the BEP: Q'/Q* − 1 (0 at the BEP, −0.3 = 30 % left of it).</summary>
    public double DistanceFromBep(double flowM3h, double speedRpm) => flowM3h / (speedRpm / RatedSpeedRpm) / BepFlowM3h - 1;

    /// <summary>Power the same hydraulic work would take at the BEP efficiency, and the yearly energy (kWh) and cost
    /// saved by that at <paramref name="hoursPerYear"/> and <paramref name="pricePerKwh"/>.</summary>
    public (double PowerAtBepKw, double KwhPerYear, double CostPerYear) SavingsAtBep(double flowM3h, double pressureRiseBar, double electricalKw, double hoursPerYear, double pricePerKwh)
    {
        double atBep = HydraulicPowerKw(flowM3h, pressureRiseBar) / BepEfficiency;
        double kwh = Math.Max(0, electricalKw - atBep) * hoursPerYear;
        return (atBep, kwh, kwh * pricePerKwh);
    }

    /// <summary>The speed at which the pump, with the valve fully open, would deliver the same flow, and the power,
    /// yearly energy and cost that would save against throttling (Europump/HI "Variable Speed Pumping", ch. 3): the open
    /// line needs H_sys(Q) = H_static + k·Q²; the pump gives H(Q, s) = s²·H'(Q/s) = h₀s² + h₁Qs + h₂Q², solved for s;
    /// the power is the hydraulic power at H_sys over the fitted efficiency at Q/s.</summary>
    public (double SpeedRatio, double PowerKw, double KwhPerYear, double CostPerYear)? SavingsBySpeed(
        double flowM3h, SystemCurve openLine, double electricalKw, double hoursPerYear, double pricePerKwh)
    {
        double required = openLine.Head(flowM3h);
        // h0·s² + h1·Q·s + (h2·Q² − H_sys) = 0, the larger root.
        double a = _head[0], b = _head[1] * flowM3h, c = _head[2] * flowM3h * flowM3h - required;
        double discriminant = b * b - 4 * a * c;
        if (a <= 0 || discriminant < 0) return null;
        double ratio = (-b + Math.Sqrt(discriminant)) / (2 * a);
        if (!(ratio is > 0.2 and <= 1.2)) return null;
        double efficiency = WireToWater(flowM3h / ratio);
        if (!(efficiency > 0)) return null;
        double power = HydraulicPowerKw(flowM3h, required * 998.2 * G / 1e5) / efficiency;
        double kwh = Math.Max(0, electricalKw - power) * hoursPerYear;
        return (ratio, power, kwh, kwh * pricePerKwh);
    }

    /// <summary>Fits the curves to history rows; rows without flow, power or speed are skipped. Needs flows on both sides
    /// of the efficiency peak, else the vertex is an extrapolation and this throws.</summary>
    public static PumpPerformance Fit(IEnumerable<PumpDutyPoint> history, double ratedSpeedRpm)
    {
        var rows = history.Where(r => r.FlowM3h > 0.5 && r.ElectricalKw > 0.05 && r.SpeedRpm > 0.2 * ratedSpeedRpm && double.IsFinite(r.PressureRiseBar)).ToList();
        if (rows.Count < 20) throw new ArgumentException($"Need at least 20 duty points with flow, power and speed (got {rows.Count}).");
        var q = rows.Select(r => r.FlowM3h / (r.SpeedRpm / ratedSpeedRpm)).ToArray();
        var h = rows.Select(r => HeadM(r.PressureRiseBar) / Math.Pow(r.SpeedRpm / ratedSpeedRpm, 2)).ToArray();
        var eta = rows.Select(r => HydraulicPowerKw(r.FlowM3h, r.PressureRiseBar) / r.ElectricalKw).ToArray();
        var headX = Matrix<double>.Build.Dense(q.Length, 3, (i, j) => Math.Pow(q[i], j));
        var head = headX.QR().Solve(Vector<double>.Build.DenseOfArray(h)).ToArray();
        var etaX = Matrix<double>.Build.Dense(q.Length, 2, (i, j) => Math.Pow(q[i], j + 1));
        var efficiency = etaX.QR().Solve(Vector<double>.Build.DenseOfArray(eta)).ToArray();
        if (efficiency[1] >= 0) throw new ArgumentException("The efficiency data show no peak (η rises with flow throughout): the history lacks flows beyond the BEP.");
        var fit = new PumpPerformance(ratedSpeedRpm, head, efficiency, rows.Count);
        double bep = fit.BepFlowM3h;
        if (bep < q.Min() || bep > q.Max()) throw new ArgumentException($"The fitted BEP ({bep:F1} m³/h) lies outside the flows seen ({q.Min():F1}–{q.Max():F1} m³/h at rated speed); record a wider range first.");
        return fit;
    }
}

/// <summary>The head a pipe system needs at a flow: H = H_static + k·Q² (Gülich §11.1), fitted by least squares
/// to duty points taken with the valve fully open.</summary>
/// <param name="StaticHeadM">Static head, m.</param>
/// <param name="Resistance">k, m per (m³/h)².</param>
public sealed record SystemCurve(double StaticHeadM, double Resistance)
{
    /// <summary>Head needed at a flow, m.</summary>
    public double Head(double flowM3h) => StaticHeadM + Resistance * flowM3h * flowM3h;

    /// <summary>Fits the curve to (flow m³/h, head m) points at two or more distinct flows.</summary>
    public static SystemCurve Fit(IReadOnlyList<(double FlowM3h, double HeadM)> points)
    {
        if (points.Count < 5 || points.Max(p => p.FlowM3h) - points.Min(p => p.FlowM3h) < 1)
            throw new ArgumentException("A system curve needs at least 5 open-valve duty points spanning more than 1 m³/h.");
        var x = Matrix<double>.Build.Dense(points.Count, 2, (i, j) => j == 0 ? 1 : points[i].FlowM3h * points[i].FlowM3h);
        var beta = x.QR().Solve(Vector<double>.Build.Dense(points.Count, i => points[i].HeadM));
        return new SystemCurve(beta[0], beta[1]);
    }
}

/// <summary>One observed duty point of a pump.</summary>
/// <param name="FlowM3h">Flow, m³/h.</param>
/// <param name="PressureRiseBar">Discharge minus suction pressure, bar.</param>
/// <param name="ElectricalKw">Electrical input power, kW.</param>
/// <param name="SpeedRpm">Shaft speed, rpm.</param>
public readonly record struct PumpDutyPoint(double FlowM3h, double PressureRiseBar, double ElectricalKw, double SpeedRpm);
