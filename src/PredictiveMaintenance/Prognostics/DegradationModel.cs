using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Fieldlab.PredictiveMaintenance.Prognostics;

/// <summary>Degradation of a health indicator over time, linear or exponential, with its parameters updated by Bayes'
/// rule as observations arrive; the remaining useful life is the time until the indicator is expected to reach a
/// failure threshold, with a credible interval.</summary>
/// <remarks>
/// Gebraeel, Lawley, Li &amp; Ryan, "Residual-life distributions from component degradation signals: a Bayesian
/// approach", IIE Trans. 37 (2005): the exponential model S(t) = φ + θ·exp(βt + ε) is linear in log(S − φ), so
/// (log θ, β) get a Gaussian prior (learnt from a population of histories) and a conjugate Gaussian update with known
/// noise variance; the linear model S(t) = a + b·t likewise. Here the indicator <em>falls</em> towards the threshold, so
/// the exponential model is applied to the loss 1 − HI, with φ just below the smallest loss of the training histories. RUL quantiles come from sampling the posterior
/// (1000 draws, fixed seed): the time each draw's mean path crosses the threshold, minus now.
/// </remarks>
public sealed class DegradationModel
{
    private readonly bool _exponential;
    private readonly Vector<double> _priorMean;
    private readonly Matrix<double> _priorCovariance;
    private readonly double _noiseVariance;
    private readonly double _phi;

    private DegradationModel(bool exponential, Vector<double> mean, Matrix<double> covariance, double noiseVariance, double phi)
    {
        _phi = phi;
        _exponential = exponential;
        _priorMean = mean;
        _priorCovariance = covariance;
        _noiseVariance = noiseVariance;
    }

    /// <summary>Exponential or linear.</summary>
    public string Kind => _exponential ? "exponential" : "linear";

    /// <summary>Learns the prior from complete histories of the indicator (each ending at failure).</summary>
    public static DegradationModel FitPrior(IReadOnlyList<IReadOnlyList<double>> indicatorHistories, bool exponential)
    {
        var parameters = new List<double[]>();
        var residuals = new List<double>();
        var lagCorrelations = new List<double>();
        // Gebraeel's φ: a constant below every loss value seen, so log(loss − φ) is defined and not dominated by noise.
        double phi = exponential ? indicatorHistories.SelectMany(h => h).Min(v => 1 - v) - 0.05 : 0;
        foreach (var h in indicatorHistories)
        {
            if (h.Count < 5) continue;
            var (theta, sse, n, rho) = Regress(h, exponential, phi);
            parameters.Add([theta[0], theta[1]]);
            residuals.Add(sse / Math.Max(1, n - 2));
            lagCorrelations.Add(rho);
        }
        if (parameters.Count < 2) throw new ArgumentException("Need at least two histories of five or more steps.");
        var mean = Vector<double>.Build.Dense(2, i => parameters.Average(q => q[i]));
        var covariance = Matrix<double>.Build.Dense(2, 2, (i, j) => parameters.Sum(q => (q[i] - mean[i]) * (q[j] - mean[j])) / (parameters.Count - 1));
        // Residuals of a smoothed, slowly drifting indicator are strongly autocorrelated: n of them carry the information of
        // far fewer independent ones. Inflating σ² by (1 + ρ)/(1 − ρ), the AR(1) variance factor of a mean (Box, Jenkins &
        // Reinsel, "Time Series Analysis", 4th ed., §2.1.6), keeps the update from trusting the data n times too much.
        double rhoMean = Math.Clamp(lagCorrelations.Average(), 0, 0.99);
        double inflation = (1 + rhoMean) / (1 - rhoMean);
        return new DegradationModel(exponential, mean, covariance + 1e-9 * Matrix<double>.Build.DenseIdentity(2), residuals.Average() * inflation, phi);
    }

    /// <summary>RUL (steps) after the last observation of <paramref name="indicator"/>, median and a central credible interval.</summary>
    public (double Median, double Lower, double Upper) RemainingLife(IReadOnlyList<double> indicator, double failureThreshold, double credibility = 0.9, double horizon = 1000)
    {
        var (mean, covariance) = Posterior(indicator);
        var normal = MatrixNormalSampler(mean, covariance, seed: 17);
        double now = indicator.Count - 1;
        var lives = new double[1000];
        for (int i = 0; i < lives.Length; i++)
        {
            var theta = normal();
            lives[i] = Math.Clamp(CrossingTime(theta, failureThreshold) - now, 0, horizon);
        }
        Array.Sort(lives);
        double tail = (1 - credibility) / 2;
        return (lives[lives.Length / 2], lives[(int)(tail * (lives.Length - 1))], lives[(int)((1 - tail) * (lives.Length - 1))]);
    }

    private (Vector<double> Mean, Matrix<double> Covariance) Posterior(IReadOnlyList<double> indicator)
    {
        // Conjugate update: Σ⁻¹ = Σ₀⁻¹ + XᵀX/σ², μ = Σ(Σ₀⁻¹μ₀ + Xᵀy/σ²).
        var (x, y) = Design(indicator, _exponential, _phi);
        var priorPrecision = _priorCovariance.Inverse();
        var precision = priorPrecision + x.TransposeThisAndMultiply(x) / _noiseVariance;
        var covariance = precision.Inverse();
        var mean = covariance * (priorPrecision * _priorMean + x.TransposeThisAndMultiply(y) / _noiseVariance);
        return (mean, covariance);
    }

    // Mean path: exponential loss 1 − HI = exp(c + βt) → crosses 1 − threshold at t = (log(1 − thr) − c)/β;
    // linear HI = a + b·t → t = (thr − a)/b.
    private double CrossingTime(Vector<double> theta, double threshold)
    {
        if (_exponential) return theta[1] > 1e-9 ? (Math.Log(Math.Max(1e-9, 1 - threshold - _phi)) - theta[0]) / theta[1] : double.PositiveInfinity;
        return theta[1] < -1e-12 ? (threshold - theta[0]) / theta[1] : double.PositiveInfinity;
    }

    private static (Matrix<double> X, Vector<double> Y) Design(IReadOnlyList<double> h, bool exponential, double phi)
    {
        var x = Matrix<double>.Build.Dense(h.Count, 2, (r, c) => c == 0 ? 1 : r);
        var y = Vector<double>.Build.Dense(h.Count, r => exponential ? Math.Log(Math.Max(1e-6, 1 - h[r] - phi)) : h[r]);
        return (x, y);
    }

    private static (Vector<double> Theta, double Sse, int N, double LagCorrelation) Regress(IReadOnlyList<double> h, bool exponential, double phi)
    {
        var (x, y) = Design(h, exponential, phi);
        var theta = x.QR().Solve(y);
        var e = y - x * theta;
        double num = 0;
        for (int i = 1; i < e.Count; i++) num += e[i] * e[i - 1];
        double sse = e.DotProduct(e);
        return (theta, sse, h.Count, sse > 0 ? num / sse : 0);
    }

    private static Func<Vector<double>> MatrixNormalSampler(Vector<double> mean, Matrix<double> covariance, int seed)
    {
        var l = (covariance + 1e-12 * Matrix<double>.Build.DenseIdentity(covariance.RowCount)).Cholesky().Factor;
        var random = new Random(seed);
        return () =>
        {
            var z = Vector<double>.Build.Dense(mean.Count, _ => Normal.Sample(random, 0, 1));
            return mean + l * z;
        };
    }
}
