namespace Fieldlab.PredictiveMaintenance.Prognostics;

/// <summary>Gradient-boosted regression trees with squared loss: each tree fits the residuals of the ensemble so far,
/// shrunk by a learning rate, on a row subsample. Features are binned once into quantile bins (at most 64), so a split
/// search is a pass over bin histograms.</summary>
/// <remarks>Friedman, "Greedy function approximation: a gradient boosting machine", Ann. Statist. 29 (2001), algorithm
/// LS_Boost; stochastic row subsampling after Friedman, Comput. Stat. Data Anal. 38 (2002); histogram splits as in
/// LightGBM (Ke et al., NeurIPS 2017). Deterministic for a given seed.</remarks>
public sealed class GradientBoostedTrees
{
    private readonly double _base;
    private readonly double _rate;
    private readonly List<Node[]> _trees;
    private readonly double[][] _edges; // per feature: upper edges of bins 0 … B−2 (bin B−1 takes the rest)

    private readonly record struct Node(int Feature, int Bin, double Threshold, int Left, int Right, double Value);

    private GradientBoostedTrees(double @base, double rate, List<Node[]> trees, double[][] edges)
    {
        _base = @base;
        _rate = rate;
        _trees = trees;
        _edges = edges;
    }

    /// <summary>Settings of a boosting run.</summary>
    /// <param name="Trees">Boosting rounds.</param>
    /// <param name="LearningRate">Shrinkage per tree.</param>
    /// <param name="MaxDepth">Depth of each tree.</param>
    /// <param name="MinLeaf">Fewest rows in a leaf.</param>
    /// <param name="Subsample">Share of rows each tree sees.</param>
    /// <param name="Seed">Random seed.</param>
    public sealed record Settings(int Trees = 400, double LearningRate = 0.05, int MaxDepth = 5, int MinLeaf = 20, double Subsample = 0.8, int Seed = 1);

    /// <summary>Number of trees.</summary>
    public int Count => _trees.Count;

    /// <summary>Trains on rows <paramref name="x"/> (finite, equal length) and targets <paramref name="y"/>.</summary>
    public static GradientBoostedTrees Train(double[][] x, double[] y, Settings settings)
    {
        int n = x.Length;
        if (n == 0 || n != y.Length) throw new ArgumentException("Need as many targets as rows, and at least one row.");
        int p = x[0].Length;
        for (int r = 0; r < n; r++)
        {
            if (x[r].Length != p) throw new ArgumentException($"Row {r} has {x[r].Length} features; expected {p}.");
            if (x[r].Any(v => !double.IsFinite(v)) || !double.IsFinite(y[r])) throw new ArgumentException($"Row {r} holds a value that is not finite.");
        }
        const int bins = 64;
        var edges = new double[p][];
        var binned = new byte[p][];
        for (int f = 0; f < p; f++)
        {
            var sorted = x.Select(r => r[f]).Order().ToArray();
            var cuts = new List<double>();
            for (int b = 1; b < bins; b++)
            {
                double q = sorted[(int)((long)b * (n - 1) / bins)];
                if (cuts.Count == 0 || q > cuts[^1]) cuts.Add(q);
            }
            edges[f] = [.. cuts];
            binned[f] = new byte[n];
            for (int r = 0; r < n; r++) binned[f][r] = (byte)Bin(edges[f], x[r][f]);
        }

        double @base = y.Average();
        var prediction = Enumerable.Repeat(@base, n).ToArray();
        var residual = new double[n];
        var random = new Random(settings.Seed);
        var trees = new List<Node[]>(settings.Trees);
        for (int t = 0; t < settings.Trees; t++)
        {
            for (int r = 0; r < n; r++) residual[r] = y[r] - prediction[r];
            var rows = Enumerable.Range(0, n).Where(_ => random.NextDouble() < settings.Subsample).ToArray();
            var nodes = new List<Node>();
            Grow(nodes, rows, 0, binned, edges, residual, settings);
            var tree = nodes.ToArray();
            trees.Add(tree);
            for (int r = 0; r < n; r++) prediction[r] += settings.LearningRate * Evaluate(tree, x[r]);
        }
        return new GradientBoostedTrees(@base, settings.LearningRate, trees, edges);
    }

    /// <summary>Predicts one row.</summary>
    public double Predict(ReadOnlySpan<double> row)
    {
        double sum = _base;
        foreach (var tree in _trees) sum += _rate * Evaluate(tree, row);
        return sum;
    }

    private static int Grow(List<Node> nodes, int[] rows, int depth, byte[][] binned, double[][] edges, double[] residual, Settings settings)
    {
        int index = nodes.Count;
        double sum = 0;
        foreach (var r in rows) sum += residual[r];
        double mean = rows.Length > 0 ? sum / rows.Length : 0;
        nodes.Add(new Node(-1, 0, 0, -1, -1, mean));
        if (depth >= settings.MaxDepth || rows.Length < 2 * settings.MinLeaf) return index;

        int bestFeature = -1, bestBin = -1;
        double bestGain = 1e-9;
        int p = binned.Length;
        var hSum = new double[64];
        var hCount = new int[64];
        for (int f = 0; f < p; f++)
        {
            int b = edges[f].Length + 1;
            Array.Clear(hSum, 0, b);
            Array.Clear(hCount, 0, b);
            var column = binned[f];
            foreach (var r in rows) { hSum[column[r]] += residual[r]; hCount[column[r]]++; }
            double leftSum = 0;
            int leftCount = 0;
            for (int k = 0; k < b - 1; k++)
            {
                leftSum += hSum[k];
                leftCount += hCount[k];
                int rightCount = rows.Length - leftCount;
                if (leftCount < settings.MinLeaf || rightCount < settings.MinLeaf) continue;
                double rightSum = sum - leftSum;
                // Reduction of the squared error: L²/nL + R²/nR − S²/n.
                double gain = leftSum * leftSum / leftCount + rightSum * rightSum / rightCount - sum * sum / rows.Length;
                if (gain > bestGain) { bestGain = gain; bestFeature = f; bestBin = k; }
            }
        }
        if (bestFeature < 0) return index;
        var leftRows = rows.Where(r => binned[bestFeature][r] <= bestBin).ToArray();
        var rightRows = rows.Where(r => binned[bestFeature][r] > bestBin).ToArray();
        int left = Grow(nodes, leftRows, depth + 1, binned, edges, residual, settings);
        int right = Grow(nodes, rightRows, depth + 1, binned, edges, residual, settings);
        nodes[index] = new Node(bestFeature, bestBin, edges[bestFeature][bestBin], left, right, mean);
        return index;
    }

    private static double Evaluate(Node[] tree, ReadOnlySpan<double> row)
    {
        int at = 0;
        while (tree[at].Feature >= 0) at = row[tree[at].Feature] <= tree[at].Threshold ? tree[at].Left : tree[at].Right;
        return tree[at].Value;
    }

    private static int Bin(double[] edges, double value)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (value <= edges[mid]) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
