using Fieldlab.Api.Curves;

namespace Fieldlab.Api.Tests.Curves;

/// <summary>The three-term least-squares fit behind the operating curves: it recovers known coefficients of a pump
/// curve (a + b·Q + c·Q²) and of a polarisation curve (E + b·ln i + r·i), exactly without noise and closely with some,
/// and declines points that cannot determine three coefficients.</summary>
public sealed class QuadraticFitTests
{
    private static readonly Func<double, double>[] Quadratic = [_ => 1, x => x, x => x * x];
    private static readonly Func<double, double>[] Polarisation = [_ => 1, x => Math.Log(x), x => x];

    // A pump curve in the units the curve endpoint fits: head (m) over flow (m³/h), shut-off head 32 m.
    private const double A = 32, B = 0.05, C = -0.0042;

    // An electrolyser stack's cell voltage over current (A): E 1.48 V, Tafel slope 0.045 V per e-fold, 1.2 mΩ.
    private const double E = 1.48, Tafel = 0.045, R = 0.0012;

    private static (double[] X, double[] Y) Points(double from, double to, int n, Func<double, double> f, double noise = 0, int seed = 9906)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n).Select(i => from + (to - from) * i / (n - 1)).ToArray();
        // Uniform noise of ±noise: deterministic, so the tolerances below hold on every run.
        var y = x.Select(v => f(v) + noise * (2 * random.NextDouble() - 1)).ToArray();
        return (x, y);
    }

    [Fact]
    public void PumpCurve_WithoutNoise_IsRecoveredExactly()
    {
        var (x, y) = Points(0, 60, 25, q => A + B * q + C * q * q);
        var c = QuadraticFit.Fit(x, y, Quadratic);
        Assert.NotNull(c);
        Assert.Equal(A, c[0], 9);
        Assert.Equal(B, c[1], 9);
        Assert.Equal(C, c[2], 9);
    }

    [Fact]
    public void PumpCurve_ThroughThreePoints_IsTheParabolaThroughThem()
    {
        // Three points determine the parabola: the fit must interpolate them. y = 1 + 2x + 3x² at x = 1, 2, 4: 6, 17, 57.
        var c = QuadraticFit.Fit([1, 2, 4], [6, 17, 57], Quadratic);
        Assert.NotNull(c);
        Assert.Equal(1, c[0], 9);
        Assert.Equal(2, c[1], 9);
        Assert.Equal(3, c[2], 9);
    }

    [Fact]
    public void PumpCurve_WithMildNoise_IsRecoveredClosely()
    {
        // ±0.2 m of noise on ~30 m of head (a pressure transmitter's 0.5 % class), 200 ten-second means.
        var (x, y) = Points(5, 60, 200, q => A + B * q + C * q * q, noise: 0.2);
        var c = QuadraticFit.Fit(x, y, Quadratic);
        Assert.NotNull(c);
        Assert.Equal(A, c[0], 0.15); // standard errors: 0.034, 0.0024, 0.000036 (tolerances ≥ 4σ, whatever the seed)
        Assert.Equal(B, c[1], 0.01);
        Assert.Equal(C, c[2], 0.0002);
        // And the fitted curve stays within the noise of the true one across the range.
        for (double q = 5; q <= 60; q += 5) Assert.Equal(A + B * q + C * q * q, c[0] + c[1] * q + c[2] * q * q, 0.1);
    }

    [Fact]
    public void PolarisationCurve_WithoutNoise_IsRecoveredExactly()
    {
        var (x, y) = Points(5, 200, 30, i => E + Tafel * Math.Log(i) + R * i);
        var c = QuadraticFit.Fit(x, y, Polarisation);
        Assert.NotNull(c);
        Assert.Equal(E, c[0], 9);
        Assert.Equal(Tafel, c[1], 9);
        Assert.Equal(R, c[2], 9);
    }

    [Fact]
    public void PolarisationCurve_WithMildNoise_IsRecoveredClosely()
    {
        // ±2 mV on ~1.7 V of cell voltage.
        var (x, y) = Points(5, 200, 200, i => E + Tafel * Math.Log(i) + R * i, noise: 0.002);
        var c = QuadraticFit.Fit(x, y, Polarisation);
        Assert.NotNull(c);
        Assert.Equal(E, c[0], 0.005); // standard errors: 0.0008, 0.00026, 0.0000038
        Assert.Equal(Tafel, c[1], 0.002);
        Assert.Equal(R, c[2], 0.00002);
    }

    [Fact]
    public void FewerThanThreePoints_GiveNoFit()
    {
        Assert.Null(QuadraticFit.Fit([], [], Quadratic));
        Assert.Null(QuadraticFit.Fit([10], [30], Quadratic));
        Assert.Null(QuadraticFit.Fit([10, 20], [30, 28], Quadratic));
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(36.0)] // a pump held at one flow
    [InlineData(150.0)] // an electrolyser held at one current
    public void AllXEqual_IsSingular_AndGivesNoFit(double x)
    {
        // Many points, one x: any curve through (x, mean y) fits, so the coefficients are not determined.
        double[] xs = [.. Enumerable.Repeat(x, 20)];
        double[] ys = [.. Enumerable.Range(0, 20).Select(i => 30 + 0.01 * i)];
        Assert.Null(QuadraticFit.Fit(xs, ys, Quadratic));
        Assert.Null(QuadraticFit.Fit(xs, ys, Polarisation));
    }

    [Fact]
    public void TwoDistinctX_AreSingularForAParabola()
    {
        // Only two distinct flows: a line is determined, a parabola is not.
        Assert.Null(QuadraticFit.Fit([20, 20, 40, 40], [30, 30.1, 26, 26.1], Quadratic));
    }

    [Fact]
    public void MismatchedInputs_GiveNoFit()
    {
        Assert.Null(QuadraticFit.Fit([1, 2, 3], [1, 2], Quadratic));
        Assert.Null(QuadraticFit.Fit([1, 2, 3], [1, 2, 3], [_ => 1, x => x]));
    }
}
