using Fieldlab.PredictiveMaintenance.Evaluation;

namespace Fieldlab.PredictiveMaintenance.Tests.Evaluation;

public sealed class ClassificationScoreTests
{
    // A worked example by hand: truth a a a b b c, answers a a b b c c.
    // a: TP 2, FN 1, FP 0 → F1 4/5; b: TP 1, FN 1, FP 1 → 1/2; c: TP 1, FN 0, FP 1 → 2/3.
    [Fact]
    public void AWorkedExample_GivesItsAccuracyMacroF1AndConfusion()
    {
        var score = new ClassificationScore();
        foreach (var (actual, predicted) in new[] { ("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "c"), ("c", "c") }) score.Add(actual, predicted);
        Assert.Equal(4.0 / 6, score.Accuracy, 12);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, score.MacroF1, 12);
        Assert.Equal(["a", "b", "c"], score.Classes);
        Assert.Equal(1, score.Confused("a", "b"));
        Assert.Equal(0, score.Confused("c", "a"));
    }

    [Fact]
    public void NoAnswers_AreNaN_AndAClassOnlyPredicted_CountsInTheMacroMean()
    {
        var score = new ClassificationScore();
        Assert.True(double.IsNaN(score.Accuracy));
        score.Add("normal", "fault");
        Assert.Equal(0, score.Accuracy);
        Assert.Equal(0, score.MacroF1);
        Assert.Equal(["fault", "normal"], score.Classes);
    }
}
