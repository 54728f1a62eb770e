using Fieldlab.Datasets.Assignments;

namespace Fieldlab.Datasets.Tests.Assignments;

public sealed class SubmissionScorerTests : IDisposable
{
    private readonly TaskData _data = new();

    public void Dispose() => _data.Dispose();

    private static async Task<SubmissionScore> ScoreAsync(AnswerKey key, string file)
    {
        var read = await TaskData.ReadAsync(key, file);
        Assert.True(read.IsValid, string.Join("\n", read.Errors));
        return SubmissionScorer.Score(key, new PublicSplit(key.Task, 42, 0.5), read.Predictions!);
    }

    [Fact]
    public async Task Detection_PerfectSubmission_HasF1One_NoFalseOrMissedAlarms_AndNab100()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        var score = await ScoreAsync(key, TaskData.Perfect(key));
        foreach (var part in new[] { score.Public, score.Private })
        {
            Assert.Equal(1, part.Metric);
            Assert.Equal(0, part.Figures["far"]);
            Assert.Equal(0, part.Figures["mar"]);
            Assert.Equal(100, part.Figures["nab_standard"], 9);
            Assert.Equal(100, part.Figures["nab_low_fp"], 9);
            Assert.Equal(100, part.Figures["nab_low_fn"], 9);
        }
        Assert.Equal(key.Truth.Count, score.Public.Keys + score.Private.Keys);
    }

    [Fact]
    public async Task Detection_AllZeros_HasF1Zero_MarHundred_AndNabZero()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        var score = await ScoreAsync(key, TaskData.File_(key, (_, _) => "0"));
        Assert.Equal(0, score.Public.Metric);
        Assert.Equal(100, score.Public.Figures["mar"]);
        Assert.Equal(0, score.Public.Figures["nab_standard"], 9); // the null detector
    }

    [Fact]
    public async Task Classification_Perfect_HasAccuracyAndMacroF1One_AndADiagonalConfusionMatrix()
    {
        var key = await _data.KeyAsync(TaskKind.Classification, windowSeconds: 5);
        var score = await ScoreAsync(key, TaskData.Perfect(key));
        Assert.Equal(1, score.Public.Figures["accuracy"]);
        Assert.Equal(1, score.Public.Metric);
        var confusion = score.Public.Confusion!;
        foreach (var (actual, row) in confusion)
            foreach (var (predicted, n) in row) Assert.True(actual == predicted || n == 0, $"{actual}→{predicted}: {n}");
        Assert.Equal(score.Public.Keys, confusion.Sum(r => r.Value.Values.Sum()));
    }

    [Fact]
    public async Task Classification_AlwaysNormal_HasHighAccuracyButLowMacroF1()
    {
        var key = await _data.KeyAsync(TaskKind.Classification, windowSeconds: 5);
        var score = await ScoreAsync(key, TaskData.File_(key, (_, _) => "normal"));
        Assert.True(score.Public.Figures["accuracy"] > 0.6, $"accuracy {score.Public.Figures["accuracy"]}"); // most windows are normal
        Assert.True(score.Public.Metric < 0.5, $"macro F1 {score.Public.Metric}"); // normal's F1 < 1, the faults' 0
    }

    [Fact]
    public async Task Rul_Perfect_HasRmseAndPhm08Zero_AndAConstantErrorHasThatRmse()
    {
        var key = await _data.KeyAsync(TaskKind.Rul, windowSeconds: 10);
        var perfect = await ScoreAsync(key, TaskData.Perfect(key));
        Assert.Equal(0, perfect.Public.Metric, 12);
        Assert.Equal(0, perfect.Private.Figures["phm08"], 12);
        var late = await ScoreAsync(key, TaskData.File_(key, (_, t) => (t.Value + 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(0.5, late.Public.Metric, 9);
        // PHM08 (Saxena et al. 2008): a late error d costs e^(d/10) − 1 per key.
        Assert.Equal(late.Public.Keys * (Math.Exp(0.05) - 1), late.Public.Figures["phm08"], 9);
    }
}
