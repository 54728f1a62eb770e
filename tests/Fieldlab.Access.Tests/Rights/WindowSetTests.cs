using Fieldlab.Access.Rights;

namespace Fieldlab.Access.Tests.Rights;

/// <summary><see cref="WindowSet"/> against a brute-force model: on a grid of whole hours 0..<see cref="Grid"/>, with every
/// bound on the grid, a set of half-open windows is exactly the set of grid hours it contains (membership is constant
/// between two grid points), plus one point on each side of the grid standing for "before" and "after" (open bounds).</summary>
public sealed class WindowSetTests
{
    private const int Grid = 12;
    private const int Cases = 2500;
    private static readonly DateTime Origin = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    // Model points: -1 (before the grid) .. Grid (after it).
    private static readonly int[] Points = [.. Enumerable.Range(-1, Grid + 2)];

    private static DateTime At(int hour) => Origin.AddHours(hour);

    [Fact]
    public void Operations_RandomSets_AgreeWithTheModel()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var (a, aModel) = RandomSet(random);
            var (b, bModel) = RandomSet(random);
            string where = $"seed {seed}: A = {a}, B = {b}";

            AssertMatches(a, aModel, $"{where}: A");
            AssertMatches(b, bModel, $"{where}: B");
            AssertMatches(a.Union(b), p => aModel(p) || bModel(p), $"{where}: A ∪ B");
            AssertMatches(a.Intersect(b), p => aModel(p) && bModel(p), $"{where}: A ∩ B");
            AssertMatches(a.Complement(), p => !aModel(p), $"{where}: ¬A");

            int from = random.Next(0, Grid + 1), to = random.Next(0, Grid + 1);
            var clipped = WindowSet.Of(a.Clip(At(from), At(to)));
            AssertMatches(clipped, p => aModel(p) && p >= from && p < to && p >= 0 && p < Grid, $"{where}: A clipped to [{from}, {to})");
            Assert.All(a.Clip(At(from), At(to)), w => Assert.True(w.From is not null && w.To is not null, $"{where}: a clipped window is bounded, got {w}"));
        }
    }

    [Fact]
    public void Laws_RandomSets_Hold()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var random = new Random(10_000 + seed);
            var (a, _) = RandomSet(random);
            var (b, _) = RandomSet(random);
            string where = $"seed {10_000 + seed}: A = {a}, B = {b}";

            AssertSame(a.Union(b).Complement(), a.Complement().Intersect(b.Complement()), $"{where}: De Morgan ¬(A ∪ B) = ¬A ∩ ¬B");
            AssertSame(a.Intersect(b).Complement(), a.Complement().Union(b.Complement()), $"{where}: De Morgan ¬(A ∩ B) = ¬A ∪ ¬B");
            AssertSame(a, a.Complement().Complement(), $"{where}: ¬¬A = A");
            Assert.True(a.Union(a.Complement()).IsEverything, $"{where}: A ∪ ¬A is everything, got {a.Union(a.Complement())}");
            Assert.True(a.Intersect(a.Complement()).IsEmpty, $"{where}: A ∩ ¬A is empty, got {a.Intersect(a.Complement())}");
            AssertSame(a.Union(b), b.Union(a), $"{where}: ∪ commutes");
            AssertSame(a.Intersect(b), b.Intersect(a), $"{where}: ∩ commutes");
            AssertSame(a, a.Union(a), $"{where}: A ∪ A = A");
            AssertSame(a, a.Intersect(a), $"{where}: A ∩ A = A");
            AssertSame(a, a.Union(WindowSet.Empty), $"{where}: A ∪ ∅ = A");
            AssertSame(a, a.Intersect(WindowSet.Everything), $"{where}: A ∩ everything = A");
            AssertSame(a, WindowSet.Of(a.Windows), $"{where}: Of(A.Windows) = A");
            Assert.Equal(a.IsEmpty, a.Windows.Count == 0);
        }
    }

    [Fact]
    public void Complement_EmptyAndEverything_AreEachOther()
    {
        Assert.True(WindowSet.Empty.Complement().IsEverything);
        Assert.True(WindowSet.Everything.Complement().IsEmpty);
        Assert.Equal([TimeWindow.Always], WindowSet.Everything.Windows);
        Assert.True(WindowSet.Of([TimeWindow.Always]).IsEverything);
        Assert.True(WindowSet.Of([new TimeWindow(At(3), At(3)), new TimeWindow(At(5), At(4))]).IsEmpty, "empty and reversed windows hold no time");
    }

    [Fact]
    public void Of_AdjacentWindows_MergeIntoOne()
    {
        var set = WindowSet.Of([new TimeWindow(At(4), At(6)), new TimeWindow(At(2), At(4)), new TimeWindow(null, At(1))]);
        Assert.Equal([new TimeWindow(null, At(1)), new TimeWindow(At(2), At(6))], set.Windows);
    }

    [Fact]
    public void Contains_HalfOpen_IncludesStartExcludesEnd()
    {
        var set = WindowSet.Of([new TimeWindow(At(2), At(4))]);
        Assert.False(set.Contains(At(2).AddTicks(-1)));
        Assert.True(set.Contains(At(2)));
        Assert.True(set.Contains(At(4).AddTicks(-1)));
        Assert.False(set.Contains(At(4)));
    }

    [Fact]
    public void Windows_AnySet_AreUtc()
    {
        var set = WindowSet.Of([new TimeWindow(At(1), At(2))]).Complement();
        Assert.All(set.Windows, w =>
        {
            if (w.From is { } f) Assert.Equal(DateTimeKind.Utc, f.Kind);
            if (w.To is { } t) Assert.Equal(DateTimeKind.Utc, t.Kind);
        });
    }

    /// <summary>0–4 windows with bounds on the grid (empty and reversed ones included), each bound open with some chance.</summary>
    private static (WindowSet Set, Func<int, bool> Model) RandomSet(Random random)
    {
        var windows = new List<(int? From, int? To)>();
        for (int i = random.Next(0, 5); i > 0; i--)
        {
            int? from = random.Next(6) == 0 ? null : random.Next(0, Grid + 1);
            int? to = random.Next(6) == 0 ? null : random.Next(0, Grid + 1);
            windows.Add((from, to));
        }
        var set = WindowSet.Of(windows.Select(w => new TimeWindow(w.From is { } f ? At(f) : null, w.To is { } t ? At(t) : null)));
        // Point p stands for [p, p+1); -1 for everything before 0, Grid for everything from Grid on.
        // (Bounds lie in 0..Grid, so -1 is covered only by an open start and Grid only by an open end.)
        bool Model(int p) => windows.Any(w => (w.From is null || p >= w.From) && (w.To is null || p < w.To));
        return (set, Model);
    }

    private static void AssertMatches(WindowSet set, Func<int, bool> model, string where)
    {
        foreach (int p in Points)
        {
            // Probe the start, the middle and the last tick of each grid cell; -1 and Grid probe far outside.
            DateTime[] probes = p == -1 ? [At(-1000), At(0).AddTicks(-1)]
                : p == Grid ? [At(Grid), At(Grid + 1000)]
                : [At(p), At(p).AddMinutes(30), At(p + 1).AddTicks(-1)];
            foreach (var t in probes)
            {
                Assert.True(set.Contains(t) == model(p), $"{where} = {set}: Contains({t:O}) is {set.Contains(t)}, the model says {model(p)}");
                Assert.True(set.Windows.Any(w => w.Contains(t)) == model(p), $"{where} = {set}: its Windows disagree with the model at {t:O}");
            }
        }
        AssertCanonical(set, where);
    }

    private static void AssertCanonical(WindowSet set, string where)
    {
        var windows = set.Windows;
        for (int i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            Assert.False(w.IsEmpty, $"{where} = {set}: window {i} is empty");
            if (i > 0) Assert.True(w.From is not null, $"{where} = {set}: only the first window may be open at the start");
            if (i < windows.Count - 1)
            {
                Assert.True(w.To is not null, $"{where} = {set}: only the last window may be open at the end");
                Assert.True(w.To < windows[i + 1].From, $"{where} = {set}: windows {i} and {i + 1} are not sorted, disjoint and non-adjacent");
            }
        }
        Assert.Equal(windows.Count == 1 && windows[0] == TimeWindow.Always, set.IsEverything);
    }

    private static void AssertSame(WindowSet expected, WindowSet actual, string where) =>
        Assert.True(expected.Windows.SequenceEqual(actual.Windows), $"{where}: expected {expected}, got {actual}");
}
