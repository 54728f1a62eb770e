using Fieldlab.Datasets.Assignments;
using Xunit.Abstractions;

namespace Fieldlab.Datasets.Tests.Assignments;

public sealed class PublicSplitTests(ITestOutputHelper output)
{
    private static readonly TaskSpec Task = new(TaskKind.Classification, ["r1", "r2", "r3"], TaskData.From, TaskData.From + 3600 * TaskData.S, TaskData.S);

    private static IEnumerable<GridKey> Keys() =>
        Task.Rigs.SelectMany(r => Enumerable.Range(0, 3600).Select(i => new GridKey(r, Task.FromNs + i * TaskData.S)));

    [Fact]
    public void TheSplit_IsTheSameEveryTime_AndDependsOnTheSeed()
    {
        var a = Keys().Select(new PublicSplit(Task, 7, 0.3).IsPublic).ToList();
        var again = Keys().Select(new PublicSplit(Task, 7, 0.3).IsPublic).ToList();
        var other = Keys().Select(new PublicSplit(Task, 8, 0.3).IsPublic).ToList();
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void KeysOfOneWindow_FallOnOneSide()
    {
        var task = Task with { Kind = TaskKind.Detection, WindowNs = 10 * TaskData.S };
        var split = new PublicSplit(task, 3, 0.5);
        foreach (var rig in task.Rigs)
            for (int block = 0; block < 360; block++)
            {
                var sides = Enumerable.Range(0, 10).Select(i => split.IsPublic(new GridKey(rig, task.FromNs + (block * 10 + i) * TaskData.S))).Distinct().Count();
                Assert.Equal(1, sides);
            }
    }

    // A property over seeded random seeds and shares: the public part is about the share (10,800 windows: a binomial
    // standard deviation below 0.005; the bound is six of them).
    [Fact]
    public void ThePublicPart_IsAboutThePublicShare_ForAnySeedAndShare()
    {
        int seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var keys = Keys().ToList();
        for (int run = 0; run < 40; run++)
        {
            int splitSeed = random.Next();
            double share = 0.05 + 0.9 * random.NextDouble();
            var split = new PublicSplit(Task, splitSeed, share);
            double got = keys.Count(split.IsPublic) / (double)keys.Count;
            Assert.True(Math.Abs(got - share) < 0.03, $"seed {seed}, run {run}: split seed {splitSeed}, share {share}: public {got}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void AShareOutsideZeroToOne_IsRefused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PublicSplit(Task, 1, share));
}
