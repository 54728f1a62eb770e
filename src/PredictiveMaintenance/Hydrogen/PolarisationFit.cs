using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Hydrogen;

/// <summary>Fits the fuel-cell polarisation model of <see cref="PemCell"/> to a measured curve (current density,
/// cell voltage) by Levenberg–Marquardt least squares; any of the parameters can be held fixed.</summary>
/// <remarks>Levenberg–Marquardt after Madsen, Nielsen &amp; Tingleff, "Methods for non-linear least squares problems",
/// DTU IMM (2004), §3.2 (Marquardt's damping update, numerical Jacobian by central differences). Parameters are fitted
/// on log scales (A, i₀, R, B, and i_lim above the largest measured current density) so that every fitted value is
/// physical. The reversible voltage and the crossover current are given, not fitted: with i₀ free they are not
/// identifiable from a polarisation curve.</remarks>
public static class PolarisationFit
{
    /// <summary>Which parameters are free.</summary>
    [Flags]
    public enum Free
    {
        /// <summary>Tafel slope A.</summary>
        Tafel = 1,
        /// <summary>Exchange current density i₀.</summary>
        ExchangeCurrent = 2,
        /// <summary>Area resistance R.</summary>
        Resistance = 4,
        /// <summary>Concentration coefficient B.</summary>
        Concentration = 8,
        /// <summary>Limiting current density.</summary>
        Limiting = 16,
        /// <summary>All five.</summary>
        All = 31,
    }

    /// <summary>The fitted parameters and the root-mean-square error in volts per cell.</summary>
    public static (PemCellParameters Parameters, double RmseV) FitFuelCell(
        IReadOnlyList<(double CurrentDensity, double CellVoltage)> curve, double reversibleVoltage, PemCellParameters start, Free free = Free.All)
    {
        if (curve.Count < 8) throw new ArgumentException("A polarisation curve needs at least 8 points.");
        foreach (var (j, v) in curve)
            if (!double.IsFinite(j) || !double.IsFinite(v) || j < 0) throw new ArgumentException("Curve points must be finite with current density ≥ 0.");
        double jMax = curve.Max(c => c.CurrentDensity);
        var theta = Encode(start, jMax);
        var mask = Enumerable.Range(0, 5).Where(k => ((int)free & (1 << k)) != 0).ToArray();
        Vector<double> Residuals(double[] t)
        {
            var p = Decode(t, start, jMax);
            return Vector<double>.Build.Dense(curve.Count, k => PemCell.FuelCellVoltage(curve[k].CurrentDensity, reversibleVoltage, p) - curve[k].CellVoltage);
        }
        var r = Residuals(theta);
        double cost = r.DotProduct(r), lambda = 1e-3;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            var jac = Matrix<double>.Build.Dense(curve.Count, mask.Length);
            for (int c = 0; c < mask.Length; c++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(theta[mask[c]]));
                var plus = (double[])theta.Clone(); plus[mask[c]] += h;
                var minus = (double[])theta.Clone(); minus[mask[c]] -= h;
                jac.SetColumn(c, (Residuals(plus) - Residuals(minus)) / (2 * h));
            }
            var jtj = jac.TransposeThisAndMultiply(jac);
            var g = jac.TransposeThisAndMultiply(r);
            bool improved = false;
            while (lambda < 1e12)
            {
                var damped = jtj + lambda * Matrix<double>.Build.DiagonalOfDiagonalVector(jtj.Diagonal() + 1e-12);
                var step = damped.Solve(-g);
                var trial = (double[])theta.Clone();
                for (int c = 0; c < mask.Length; c++) trial[mask[c]] += step[c];
                var rt = Residuals(trial);
                double trialCost = rt.DotProduct(rt);
                if (double.IsFinite(trialCost) && trialCost < cost)
                {
                    improved = cost - trialCost > 1e-14 * cost;
                    theta = trial; r = rt; cost = trialCost;
                    lambda = Math.Max(lambda / 3, 1e-12);
                    break;
                }
                lambda *= 4;
            }
            if (!improved) break;
        }
        return (Decode(theta, start, jMax), Math.Sqrt(cost / curve.Count));
    }

    private static double[] Encode(PemCellParameters p, double jMax) =>
    [
        Math.Log(p.TafelSlopeV), Math.Log(p.ExchangeCurrentDensity), Math.Log(Math.Max(p.AreaResistance, 1e-6)),
        Math.Log(Math.Max(p.ConcentrationCoefficientV, 1e-6)), Math.Log(Math.Max(p.LimitingCurrentDensity - jMax - p.CrossoverCurrentDensity, 1e-3)),
    ];

    private static PemCellParameters Decode(double[] t, PemCellParameters start, double jMax) => start with
    {
        TafelSlopeV = Math.Exp(t[0]),
        ExchangeCurrentDensity = Math.Exp(t[1]),
        AreaResistance = Math.Exp(t[2]),
        ConcentrationCoefficientV = Math.Exp(t[3]),
        LimitingCurrentDensity = jMax + start.CrossoverCurrentDensity + Math.Exp(t[4]),
    };
}
