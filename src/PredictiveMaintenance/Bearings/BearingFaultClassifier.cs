using Fieldlab.PredictiveMaintenance.Classification;

namespace Fieldlab.PredictiveMaintenance.Bearings;

/// <summary>Tells normal / inner race / outer race / ball from a <see cref="BearingFeatureVector"/>, and estimates the
/// defect size: one random forest for the location, one for the size among the faulty training windows.</summary>
public sealed class BearingFaultClassifier
{
    private readonly RandomForest _location;
    private readonly RandomForest? _size;
    private readonly double[] _sizes;

    private BearingFaultClassifier(RandomForest location, RandomForest? size, double[] sizes)
    {
        _location = location;
        _size = size;
        _sizes = sizes;
    }

    /// <summary>Out-of-bag accuracy of the location forest (an estimate from training data alone).</summary>
    public double OutOfBagAccuracy => _location.OutOfBagAccuracy;

    /// <summary>Trains on labelled vectors; <c>Size</c> is ignored for normal windows.</summary>
    public static BearingFaultClassifier Train(IReadOnlyList<(double[] Features, BearingCondition Condition, double Size)> examples, int trees = 200, int seed = 1)
    {
        if (examples.Count == 0) throw new ArgumentException("No training examples.");
        var x = examples.Select(e => e.Features).ToArray();
        var y = examples.Select(e => (int)e.Condition).ToArray();
        var location = RandomForest.Train(x, y, Enum.GetValues<BearingCondition>().Length, trees, seed: seed);
        var faulty = examples.Where(e => e.Condition != BearingCondition.Normal).ToList();
        var sizes = faulty.Select(e => e.Size).Distinct().Order().ToArray();
        RandomForest? size = sizes.Length >= 2
            ? RandomForest.Train([.. faulty.Select(e => e.Features)], [.. faulty.Select(e => Array.IndexOf(sizes, e.Size))], sizes.Length, trees, seed: seed + 1)
            : null;
        return new BearingFaultClassifier(location, size, sizes);
    }

    /// <summary>Diagnoses one window's vector.</summary>
    public BearingDiagnosis Diagnose(ReadOnlySpan<double> features)
    {
        var p = _location.Probabilities(features);
        int best = 0;
        for (int c = 1; c < p.Length; c++) if (p[c] > p[best]) best = c;
        var condition = (BearingCondition)best;
        double? severity = null;
        if (condition != BearingCondition.Normal && _sizes.Length > 0)
        {
            if (_size is null) severity = _sizes[0];
            else
            {
                var ps = _size.Probabilities(features);
                severity = Enumerable.Range(0, _sizes.Length).Sum(i => ps[i] * _sizes[i]);
            }
        }
        return new BearingDiagnosis(condition, p, severity);
    }

    /// <summary>The size class (as trained) nearest to an estimate.</summary>
    public double NearestSize(double estimate) => _sizes.MinBy(s => Math.Abs(s - estimate));
}
