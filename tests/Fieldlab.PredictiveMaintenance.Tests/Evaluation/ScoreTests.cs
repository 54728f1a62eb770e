using Fieldlab.PredictiveMaintenance.Evaluation;

namespace Fieldlab.PredictiveMaintenance.Tests.Evaluation;

/// <summary>The scores match SKAB's definitions at their anchor points.</summary>
public sealed class ScoreTests
{
    [Fact]
    public void Nab_PerfectDetectorScores100_NullDetector0()
    {
        double[] truth = [100, 500, 900];
        var perfect = new NabScore();
        perfect.Add(truth, truth, 60);
        Assert.Equal(100, perfect.Standard, 1);
        Assert.Equal(100, perfect.LowFalseNegatives, 1);
        var none = new NabScore();
        none.Add(truth, [], 60);
        Assert.Equal(0, none.Standard, 9);
        Assert.Equal(3, none.Missed);
    }

    [Fact]
    public void Nab_LateDetectionEarnsLess_AndFalsePositivesCost()
    {
        var early = new NabScore();
        early.Add([100], [105], 60);
        var late = new NabScore();
        late.Add([100], [155], 60);
        Assert.True(early.Standard > late.Standard);
        var noisy = new NabScore();
        noisy.Add([100], [105, 300, 400], 60);
        Assert.Equal(2, noisy.FalsePositives);
        // Two false positives cost 2 × 0.11 of the 2-point range between null and perfect.
        Assert.Equal(early.Standard - 100 * 0.22 / 2, noisy.Standard, 6);
        Assert.True(noisy.LowFalsePositives < noisy.Standard);
    }

    [Fact]
    public void Nab_OverlappingWindows_AreCutSoEachDetectionCountsOnce()
    {
        var nab = new NabScore();
        nab.Add([100, 130], [101, 165], 60); // second window becomes [160, 190]
        Assert.Equal(0, nab.Missed);
        Assert.Equal(0, nab.FalsePositives);
    }

    [Fact]
    public void Outliers_F1FarMar_FollowTheirDefinitions()
    {
        var score = new OutlierScore();
        for (int i = 0; i < 6; i++) score.Add(true, true);     // TP 6
        for (int i = 0; i < 2; i++) score.Add(true, false);    // FN 2
        for (int i = 0; i < 1; i++) score.Add(false, true);    // FP 1
        for (int i = 0; i < 9; i++) score.Add(false, false);   // TN 9
        Assert.Equal(6 / (6 + 1.5), score.F1, 12);
        Assert.Equal(10, score.FalseAlarmRate, 12);
        Assert.Equal(25, score.MissedAlarmRate, 12);
    }
}
