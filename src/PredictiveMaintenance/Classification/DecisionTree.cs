namespace Fieldlab.PredictiveMaintenance.Classification;

/// <summary>A classification tree (CART: binary splits on one feature, Gini impurity) grown on a sample of rows with a
/// random subset of features tried at each node — the building block of <see cref="RandomForest"/>.</summary>
/// <remarks>Breiman, Friedman, Olshen &amp; Stone, "Classification and Regression Trees" (1984), ch. 4; the per-node
/// feature sampling after Breiman, "Random forests", Machine Learning 45 (2001). Leaves store class frequencies.</remarks>
internal sealed class DecisionTree
{
    private readonly List<Node> _nodes = [];
    private readonly int _classes;

    private readonly record struct Node(int Feature, double Threshold, int Left, int Right, double[]? Distribution);

    private DecisionTree(int classes) => _classes = classes;

    /// <summary>Grows a tree on the given row indices.</summary>
    public static DecisionTree Grow(double[][] x, int[] y, int classes, int[] rows, int featuresPerSplit, int minLeaf, int maxDepth, Random random)
    {
        var tree = new DecisionTree(classes);
        tree.Build(x, y, rows, featuresPerSplit, minLeaf, maxDepth, 0, random);
        return tree;
    }

    /// <summary>Class frequencies of the leaf a row falls into.</summary>
    public double[] Distribution(ReadOnlySpan<double> row)
    {
        int at = 0;
        while (_nodes[at].Distribution is null) at = row[_nodes[at].Feature] <= _nodes[at].Threshold ? _nodes[at].Left : _nodes[at].Right;
        return _nodes[at].Distribution!;
    }

    private int Build(double[][] x, int[] y, int[] rows, int featuresPerSplit, int minLeaf, int maxDepth, int depth, Random random)
    {
        int index = _nodes.Count;
        var counts = new double[_classes];
        foreach (var r in rows) counts[y[r]]++;
        _nodes.Add(default);
        bool pure = counts.Count(c => c > 0) <= 1;
        if (pure || depth >= maxDepth || rows.Length < 2 * minLeaf || !TryBestSplit(x, y, rows, counts, featuresPerSplit, minLeaf, random, out int feature, out double threshold))
        {
            for (int c = 0; c < _classes; c++) counts[c] /= rows.Length;
            _nodes[index] = new Node(-1, 0, -1, -1, counts);
            return index;
        }
        var left = rows.Where(r => x[r][feature] <= threshold).ToArray();
        var right = rows.Where(r => x[r][feature] > threshold).ToArray();
        int l = Build(x, y, left, featuresPerSplit, minLeaf, maxDepth, depth + 1, random);
        int rr = Build(x, y, right, featuresPerSplit, minLeaf, maxDepth, depth + 1, random);
        _nodes[index] = new Node(feature, threshold, l, rr, null);
        return index;
    }

    private bool TryBestSplit(double[][] x, int[] y, int[] rows, double[] counts, int featuresPerSplit, int minLeaf, Random random, out int bestFeature, out double bestThreshold)
    {
        int p = x[0].Length, n = rows.Length;
        double parent = Gini(counts, n);
        double bestGain = 1e-12;
        bestFeature = -1;
        bestThreshold = 0;
        var candidates = Enumerable.Range(0, p).OrderBy(_ => random.Next()).Take(featuresPerSplit);
        var order = new int[n];
        var left = new double[_classes];
        foreach (int f in candidates)
        {
            rows.CopyTo(order, 0);
            Array.Sort(order, (a, b) => x[a][f].CompareTo(x[b][f]));
            Array.Clear(left);
            for (int i = 0; i < n - 1; i++)
            {
                left[y[order[i]]]++;
                int nl = i + 1, nr = n - nl;
                double v = x[order[i]][f], next = x[order[i + 1]][f];
                if (nl < minLeaf || nr < minLeaf || v == next) continue;
                double giniLeft = 0, giniRight = 0;
                for (int c = 0; c < _classes; c++)
                {
                    double pl = left[c] / nl, pr = (counts[c] - left[c]) / nr;
                    giniLeft += pl * pl;
                    giniRight += pr * pr;
                }
                double gain = parent - (nl * (1 - giniLeft) + nr * (1 - giniRight)) / n;
                if (gain > bestGain)
                {
                    bestGain = gain;
                    bestFeature = f;
                    bestThreshold = (v + next) / 2;
                }
            }
        }
        return bestFeature >= 0;
    }

    private static double Gini(double[] counts, int n)
    {
        double s = 0;
        foreach (var c in counts) s += (c / n) * (c / n);
        return 1 - s;
    }
}
