using Fieldlab.PredictiveMaintenance.Evaluation;

namespace Fieldlab.Datasets.Assignments;

/// <summary>Scores a complete, valid prediction file against the answer key, separately on the public and the private
/// keys, with the scorers of the model library: detection point-wise (<see cref="OutlierScore"/>: F1, FAR, MAR) and as
/// events (<see cref="NabScore"/>: a run of 1s is one detection at its first key, a run of true faults one change
/// point, NAB's window is the task's window); classification (<see cref="ClassificationScore"/>: accuracy, macro F1,
/// the confusion matrix); RUL (<see cref="RulScore"/> over every key: RMSE, bias, PHM08 score).</summary>
public static class SubmissionScorer
{
    /// <summary>Scores <paramref name="predictions"/> (one per key of <paramref name="key"/>).</summary>
    public static SubmissionScore Score(AnswerKey key, PublicSplit split, IReadOnlyDictionary<GridKey, Answer> predictions)
    {
        var ordered = key.Truth.Keys.OrderBy(k => k.Rig, StringComparer.Ordinal).ThenBy(k => k.TimeNs).ToList();
        return new SubmissionScore(
            Part(key, ordered.Where(split.IsPublic).ToList(), predictions),
            Part(key, ordered.Where(k => !split.IsPublic(k)).ToList(), predictions));
    }

    private static PartScore Part(AnswerKey key, List<GridKey> keys, IReadOnlyDictionary<GridKey, Answer> predictions) => key.Task.Kind switch
    {
        TaskKind.Detection => Detection(key, keys, predictions),
        TaskKind.Classification => Classification(key, keys, predictions),
        _ => Rul(key, keys, predictions),
    };

    private static PartScore Detection(AnswerKey key, List<GridKey> keys, IReadOnlyDictionary<GridKey, Answer> predictions)
    {
        var points = new OutlierScore();
        var nab = new NabScore();
        double window = key.Task.WindowNs / 1e9;
        foreach (var rig in keys.GroupBy(k => k.Rig, StringComparer.Ordinal))
        {
            var changes = new List<double>();
            var detections = new List<double>();
            bool wasTrue = false, wasFlagged = false;
            foreach (var k in rig)
            {
                bool actual = key.Truth[k].Value == 1, flagged = predictions[k].Value == 1;
                points.Add(actual, flagged);
                double seconds = (k.TimeNs - key.Task.FromNs) / 1e9;
                if (actual && !wasTrue) changes.Add(seconds);
                if (flagged && !wasFlagged) detections.Add(seconds);
                wasTrue = actual;
                wasFlagged = flagged;
            }
            nab.Add(changes, detections, window);
        }
        // A part without a fault to find, where nothing was flagged, is answered perfectly: F1 1, not the 0 of 0/0 —
        // otherwise a perfect submission could rank last on a part the split left without faults.
        double f1 = points.TruePositives + points.FalsePositives + points.FalseNegatives == 0 ? 1 : points.F1;
        return new PartScore(f1, keys.Count, new Dictionary<string, double>
        {
            ["f1"] = f1, ["far"] = points.FalseAlarmRate, ["mar"] = points.MissedAlarmRate,
            ["nab_standard"] = nab.Standard, ["nab_low_fp"] = nab.LowFalsePositives, ["nab_low_fn"] = nab.LowFalseNegatives,
            ["true_positives"] = points.TruePositives, ["false_positives"] = points.FalsePositives,
            ["true_negatives"] = points.TrueNegatives, ["false_negatives"] = points.FalseNegatives,
        });
    }

    private static PartScore Classification(AnswerKey key, List<GridKey> keys, IReadOnlyDictionary<GridKey, Answer> predictions)
    {
        var score = new ClassificationScore();
        foreach (var k in keys) score.Add(key.Truth[k].Class!, predictions[k].Class!);
        var classes = score.Classes;
        var confusion = classes.ToDictionary(a => a, a => (IReadOnlyDictionary<string, long>)classes.ToDictionary(p => p, p => score.Confused(a, p)));
        return new PartScore(score.MacroF1, keys.Count, new Dictionary<string, double> { ["accuracy"] = score.Accuracy, ["macro_f1"] = score.MacroF1 }, confusion);
    }

    private static PartScore Rul(AnswerKey key, List<GridKey> keys, IReadOnlyDictionary<GridKey, Answer> predictions)
    {
        var score = new RulScore();
        foreach (var k in keys) score.Add(predictions[k].Value, key.Truth[k].Value);
        return new PartScore(score.Rmse, keys.Count, new Dictionary<string, double> { ["rmse"] = score.Rmse, ["phm08"] = score.Phm08, ["bias"] = score.Bias });
    }
}
