using Fieldlab.PredictiveMaintenance.Evaluation;
using Fieldlab.PredictiveMaintenance.Prognostics;

namespace Fieldlab.PredictiveMaintenance.Tests.Prognostics;

public sealed class PrognosticsTests
{
    // Run-to-failure histories: two sensors that degrade exponentially towards failure, one that does not.
    private static List<List<double[]>> Histories(int count, int seed, bool linear = false)
    {
        var random = new Random(seed);
        var list = new List<List<double[]>>();
        for (int u = 0; u < count; u++)
        {
            int life = 150 + random.Next(100);
            double rate = 4.0 / life;
            var h = new List<double[]>();
            for (int t = 0; t < life; t++)
            {
                double wear = linear ? (double)t / life : Math.Exp(rate * (t - life)); // → 1 at failure
                h.Add([wear + 0.02 * Gauss(random), 0.5 * wear + 0.02 * Gauss(random), Gauss(random)]);
            }
            list.Add(h);
        }
        return list;
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void RulScore_RmseAndPhm08_FollowTheirDefinitions()
    {
        var s = new RulScore();
        s.Add(110, 100); // 10 late
        s.Add(87, 100);  // 13 early
        Assert.Equal(Math.Sqrt((100 + 169) / 2.0), s.Rmse, 12);
        Assert.Equal(Math.Exp(1) - 1 + Math.Exp(1) - 1, s.Phm08, 12);
        Assert.Equal(-1.5, s.Bias, 12);
    }

    [Fact]
    public void HealthIndicator_UsesTheTrendingSensors_AndFallsTowardsZeroAtFailure()
    {
        var histories = Histories(30, 1);
        var hi = HealthIndicator.Fit([.. histories]);
        Assert.Equal([0, 1], hi.Sensors);
        var h = histories[0];
        Assert.True(hi.Of(h[0]) > hi.Of(h[^1]) + 0.5);
    }

    [Fact]
    public void BoostedTrees_LearnRemainingLife_FromTrendFeatures()
    {
        var train = Histories(40, 2);
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var h in train) for (int t = 0; t < h.Count; t += 2) { x.Add(TrendFeatures.At(h, t)); y.Add(Math.Min(125, h.Count - 1 - t)); }
        var model = GradientBoostedTrees.Train([.. x], [.. y], new GradientBoostedTrees.Settings(Trees: 150, MaxDepth: 4));
        var score = new RulScore();
        var random = new Random(3);
        foreach (var h in Histories(20, 4))
        {
            int now = random.Next(h.Count / 2, h.Count);
            score.Add(Math.Clamp(model.Predict(TrendFeatures.At(h, now)), 0, 125), Math.Min(125, h.Count - 1 - now));
        }
        Assert.True(score.Rmse < 20, $"RMSE {score.Rmse}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BayesianDegradation_GivesAnIntervalAroundTheTrueRemainingLife_LateInLife(bool exponential)
    {
        var train = Histories(30, 5, linear: !exponential);
        var hi = HealthIndicator.Fit([.. train]);
        var prior = DegradationModel.FitPrior([.. train.Select(h => (IReadOnlyList<double>)h.Select(r => hi.Of(r)).ToList())], exponential);
        var unit = Histories(1, 6, linear: !exponential)[0];
        int now = (int)(unit.Count * 0.8);
        var observed = unit.Take(now + 1).Select(r => hi.Of(r)).ToList();
        double threshold = train.Average(h => hi.Of(h[^1]));
        var (median, lower, upper) = prior.RemainingLife(observed, threshold);
        Assert.True(lower <= median && median <= upper);
        Assert.InRange(unit.Count - 1 - now, lower - 40, upper + 40);
    }

    [Fact]
    public void BadTrainingData_IsRefusedClearly()
    {
        Assert.Contains("Row 1", Assert.Throws<ArgumentException>(() => GradientBoostedTrees.Train([[1.0], [double.NaN]], [1, 2], new())).Message);
        Assert.Contains("No sensor trends", Assert.Throws<ArgumentException>(() => HealthIndicator.Fit([[[1.0], [1.0], [1.0]]])).Message);
    }
}
