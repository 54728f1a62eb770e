using Fieldlab.PredictiveMaintenance.Classification;

namespace Fieldlab.PredictiveMaintenance.Tests.Classification;

public sealed class RandomForestTests
{
    // Three classes that no single threshold separates: quadrants of two features, plus a noise feature.
    private static (double[][] X, int[] Y) Quadrants(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n][];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            x[i] = [a, b, random.NextDouble()];
            y[i] = a * b > 0 ? 0 : a > 0 ? 1 : 2;
        }
        return (x, y);
    }

    [Fact]
    public void LearnsAnInteraction_AndItsOutOfBagAccuracyPredictsTheTestAccuracy()
    {
        var (x, y) = Quadrants(600, 1);
        var forest = RandomForest.Train(x, y, 3, trees: 80, seed: 3);
        var (tx, ty) = Quadrants(400, 2);
        double accuracy = Enumerable.Range(0, tx.Length).Count(i => forest.Predict(tx[i]) == ty[i]) / (double)tx.Length;
        Assert.True(accuracy > 0.93, $"accuracy {accuracy}");
        Assert.InRange(forest.OutOfBagAccuracy, accuracy - 0.05, accuracy + 0.05);
        Assert.Equal(1, forest.Probabilities(tx[0]).Sum(), 9);
    }

    [Fact]
    public void SameSeed_SameForest()
    {
        var (x, y) = Quadrants(200, 4);
        var a = RandomForest.Train(x, y, 3, trees: 20, seed: 9);
        var b = RandomForest.Train(x, y, 3, trees: 20, seed: 9);
        Assert.Equal(a.Probabilities([0.1, -0.2, 0.5]), b.Probabilities([0.1, -0.2, 0.5]));
    }

    [Fact]
    public void NonFiniteFeatures_AreRefusedClearly()
    {
        var (x, y) = Quadrants(20, 5);
        x[7][1] = double.NaN;
        Assert.Contains("Row 7", Assert.Throws<ArgumentException>(() => RandomForest.Train(x, y, 3)).Message);
    }
}
