namespace Fieldlab.PredictiveMaintenance.Evaluation;

/// <summary>Counts of a multi-class classifier's answers: the confusion matrix, accuracy and the macro-averaged F1
/// (the unweighted mean of every class's F1, so that a rare fault counts as much as the common <c>normal</c>).</summary>
/// <remarks>Sokolova &amp; Lapalme, "A systematic analysis of performance measures for classification tasks",
/// Information Processing and Management 45 (2009), table 3: per class F1 = 2·TP / (2·TP + FP + FN); macro F1 = mean
/// over the classes that occur as truth or as prediction (a class never seen and never predicted is not counted).</remarks>
public sealed class ClassificationScore
{
    private readonly SortedDictionary<string, SortedDictionary<string, long>> _confusion = new(StringComparer.Ordinal);

    /// <summary>Answers counted.</summary>
    public long Count { get; private set; }

    /// <summary>Answers equal to the truth.</summary>
    public long Correct { get; private set; }

    /// <summary>Counts one answer.</summary>
    public void Add(string actual, string predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (!_confusion.TryGetValue(actual, out var row)) _confusion[actual] = row = new SortedDictionary<string, long>(StringComparer.Ordinal);
        row[predicted] = row.GetValueOrDefault(predicted) + 1;
        Count++;
        if (actual == predicted) Correct++;
    }

    /// <summary>Share of correct answers, 0–1 (NaN before any answer).</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;

    /// <summary>Every class seen as truth or prediction, in ordinal order.</summary>
    public IReadOnlyList<string> Classes => [.. _confusion.Keys.Concat(_confusion.Values.SelectMany(r => r.Keys)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>How often truth <c>actual</c> was answered <c>predicted</c>: rows the truth, columns the answer.</summary>
    public long Confused(string actual, string predicted) => _confusion.TryGetValue(actual, out var row) ? row.GetValueOrDefault(predicted) : 0;

    /// <summary>F1 of one class (0 when it was neither true nor predicted correctly).</summary>
    public double F1Of(string label)
    {
        long tp = Confused(label, label);
        long fn = (_confusion.TryGetValue(label, out var row) ? row.Values.Sum() : 0) - tp;
        long fp = _confusion.Where(kv => kv.Key != label).Sum(kv => kv.Value.GetValueOrDefault(label));
        return tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>Macro-averaged F1, 0–1 (NaN before any answer).</summary>
    public double MacroF1 => Count == 0 ? double.NaN : Classes.Average(F1Of);
}
