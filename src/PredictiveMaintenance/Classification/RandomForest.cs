namespace Fieldlab.PredictiveMaintenance.Classification;

/// <summary>A random forest classifier: many CART trees, each grown on a bootstrap sample with √p features tried per
/// split; the forest's answer is the average of the trees' leaf class frequencies.</summary>
/// <remarks>Breiman, "Random forests", Machine Learning 45 (2001). Deterministic for a given seed. Also reports the
/// out-of-bag accuracy (each row scored only by the trees that did not see it), an honest estimate from training
/// data alone.</remarks>
public sealed class RandomForest
{
    private readonly DecisionTree[] _trees;

    private RandomForest(DecisionTree[] trees, int classes, double outOfBagAccuracy)
    {
        _trees = trees;
        Classes = classes;
        OutOfBagAccuracy = outOfBagAccuracy;
    }

    /// <summary>Number of classes (labels are 0 … Classes − 1).</summary>
    public int Classes { get; }

    /// <summary>Accuracy on the rows each tree left out of its bootstrap sample.</summary>
    public double OutOfBagAccuracy { get; }

    /// <summary>Trains on rows <paramref name="x"/> (all the same length, finite) with labels <paramref name="y"/>.</summary>
    public static RandomForest Train(double[][] x, int[] y, int classes, int trees = 200, int minLeaf = 1, int maxDepth = 30, int seed = 1)
    {
        if (x.Length == 0 || x.Length != y.Length) throw new ArgumentException("Need as many labels as rows, and at least one row.");
        int p = x[0].Length;
        for (int r = 0; r < x.Length; r++)
        {
            if (x[r].Length != p) throw new ArgumentException($"Row {r} has {x[r].Length} features; expected {p}.");
            if (x[r].Any(v => !double.IsFinite(v))) throw new ArgumentException($"Row {r} holds a feature that is not finite.");
            if (y[r] < 0 || y[r] >= classes) throw new ArgumentException($"Label {y[r]} of row {r} is outside 0 … {classes - 1}.");
        }
        var random = new Random(seed);
        int mtry = Math.Max(1, (int)Math.Round(Math.Sqrt(p)));
        var grown = new DecisionTree[trees];
        var votes = new double[x.Length, classes];
        for (int t = 0; t < trees; t++)
        {
            var sample = new int[x.Length];
            var inBag = new bool[x.Length];
            for (int i = 0; i < sample.Length; i++) { sample[i] = random.Next(x.Length); inBag[sample[i]] = true; }
            grown[t] = DecisionTree.Grow(x, y, classes, sample, mtry, minLeaf, maxDepth, new Random(random.Next()));
            for (int r = 0; r < x.Length; r++)
            {
                if (inBag[r]) continue;
                var d = grown[t].Distribution(x[r]);
                for (int c = 0; c < classes; c++) votes[r, c] += d[c];
            }
        }
        int scored = 0, right = 0;
        for (int r = 0; r < x.Length; r++)
        {
            double best = -1, total = 0;
            int arg = -1;
            for (int c = 0; c < classes; c++) { total += votes[r, c]; if (votes[r, c] > best) { best = votes[r, c]; arg = c; } }
            if (total == 0) continue;
            scored++;
            if (arg == y[r]) right++;
        }
        return new RandomForest(grown, classes, scored == 0 ? double.NaN : right / (double)scored);
    }

    /// <summary>Class probabilities for one row.</summary>
    public double[] Probabilities(ReadOnlySpan<double> row)
    {
        var p = new double[Classes];
        foreach (var tree in _trees)
        {
            var d = tree.Distribution(row);
            for (int c = 0; c < Classes; c++) p[c] += d[c] / _trees.Length;
        }
        return p;
    }

    /// <summary>The most probable class.</summary>
    public int Predict(ReadOnlySpan<double> row)
    {
        var p = Probabilities(row);
        int best = 0;
        for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        return best;
    }
}
