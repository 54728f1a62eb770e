using Fieldlab.Datasets.Assignments;

namespace Fieldlab.Datasets.Tests.Assignments;

public sealed class AnswerKeyTests : IDisposable
{
    private const long S = TaskData.S;
    private readonly TaskData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Detection_HasEveryRigAndTimeOnce_FaultsAreTruthAndHandLabels_NotMaintenanceNorNormal()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        Assert.Equal(2 * 6000, key.Truth.Count); // r1's two streams share their times
        double At(string rig, double seconds) => key.Truth[new GridKey(rig, TaskData.From + (long)(seconds * S))].Value;
        Assert.Equal(0, At("r1", 99.9));
        Assert.Equal(1, At("r1", 100));
        Assert.Equal(1, At("r1", 199.9));
        Assert.Equal(0, At("r1", 200)); // the clear ends it
        Assert.Equal(0, At("r1", 400)); // maintenance is a moment, not an anomaly
        Assert.Equal(0, At("r1", 455)); // a hand-made "normal" is no fault
        Assert.Equal(1, At("r2", 330)); // hand-made dry_run
        Assert.Equal(1, At("r2", 599.9)); // open fault lasts to the end
    }

    [Fact]
    public async Task Classification_WindowsFromTheStart_TruthIsTheLabelAtTheMiddle_ElseNormal()
    {
        var key = await _data.KeyAsync(TaskKind.Classification, windowSeconds: 20);
        Assert.Equal(2 * 30, key.Truth.Count);
        string At(string rig, int seconds) => key.Truth[new GridKey(rig, TaskData.From + seconds * S)].Class!;
        Assert.Equal("normal", At("r1", 80)); // middle 90 s
        Assert.Equal("cavitation", At("r1", 100));
        Assert.Equal("cavitation", At("r1", 180)); // middle 190 s
        Assert.Equal("normal", At("r1", 200));
        Assert.Equal("normal", At("r1", 440)); // middle 450 s: the hand-made normal
        Assert.Equal("dry_run", At("r2", 340));
        Assert.Equal("cavitation", At("r2", 580));
    }

    [Fact]
    public async Task Rul_KeysOnlyBeforeAFailure_TruthIsHoursUntilItsStart()
    {
        var key = await _data.KeyAsync(TaskKind.Rul, windowSeconds: 30);
        Assert.Equal(2 * 20, key.Grid.Count); // every 30 s for 600 s, per rig
        // r1: 0, 30, 60, 90 before the cavitation at 100 s; after its clear none follows. r2: 0 … 480 before 500 s.
        Assert.Equal(4 + 17, key.Truth.Count);
        Assert.Equal(100.0 / 3600, key.Truth[new GridKey("r1", TaskData.From)].Value, 12);
        Assert.Equal(10.0 / 3600, key.Truth[new GridKey("r1", TaskData.From + 90 * S)].Value, 12);
        Assert.False(key.Truth.ContainsKey(new GridKey("r1", TaskData.From + 120 * S))); // failed then
        Assert.False(key.Truth.ContainsKey(new GridKey("r1", TaskData.From + 300 * S))); // no failure follows
        Assert.Equal(20.0 / 3600, key.Truth[new GridKey("r2", TaskData.From + 480 * S)].Value, 12);
    }

    [Fact]
    public async Task ABadTask_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => AnswerKey.BuildAsync(TaskData.Spec(TaskKind.Rul, failure: null), _data.SamplesPath, TaskData.Labels, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => AnswerKey.BuildAsync(TaskData.Spec(TaskKind.Classification, windowSeconds: 0), _data.SamplesPath, TaskData.Labels, CancellationToken.None));
    }
}
