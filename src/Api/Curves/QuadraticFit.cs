namespace Fieldlab.Api.Curves;

/// <summary>Least squares y ≈ c0·f0(x) + c1·f1(x) + c2·f2(x) for three basis functions, by the normal equations solved
/// with partial pivoting (3×3: small enough that no library is needed, well-conditioned for the scaled inputs used).</summary>
public static class QuadraticFit
{
    /// <summary>The coefficients, or null when the points do not determine them (fewer than 3 distinct, singular system).</summary>
    public static double[]? Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, Func<double, double>[] basis)
    {
        if (basis.Length != 3 || x.Count != y.Count || x.Count < 3) return null;
        var a = new double[3, 4];
        for (int n = 0; n < x.Count; n++)
        {
            Span<double> f = [basis[0](x[n]), basis[1](x[n]), basis[2](x[n])];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++) a[i, j] += f[i] * f[j];
                a[i, 3] += f[i] * y[n];
            }
        }
        for (int col = 0; col < 3; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < 3; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            if (Math.Abs(a[pivot, col]) < 1e-12 * (1 + Math.Abs(a[0, 0]))) return null;
            for (int k = 0; k < 4; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (int r = 0; r < 3; r++)
            {
                if (r == col) continue;
                double factor = a[r, col] / a[col, col];
                for (int k = 0; k < 4; k++) a[r, k] -= factor * a[col, k];
            }
        }
        var c = new[] { a[0, 3] / a[0, 0], a[1, 3] / a[1, 1], a[2, 3] / a[2, 2] };
        return c.All(double.IsFinite) ? c : null;
    }
}
