using Fieldlab.PredictiveMaintenance.Anomaly;

namespace Fieldlab.PredictiveMaintenance.Tests.Anomaly;

/// <summary>Each detector learns normal from a baseline, stays quiet on more of the same, alarms on a broken
/// relation or a shift, and names the sensors responsible.</summary>
public sealed class DetectorTests
{
    private static readonly string[] Sensors = ["flow", "pressure", "current", "vibration"];

    // Pump-like rows: pressure and current follow flow (a pump curve and a motor load), vibration is independent.
    private static double[] Row(Random random, double flow, double pressureOffset = 0, double vibrationOffset = 0)
    {
        double Noise() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return [flow + 0.05 * Noise(), 3 - 0.02 * flow + 0.01 * Noise() + pressureOffset, 1 + 0.03 * flow + 0.01 * Noise(), 0.03 + 0.001 * Noise() + vibrationOffset];
    }

    private static double[][] BaselineRows(int seed) =>
        [.. Enumerable.Range(0, 400).Select(i => Row(new Random(seed * 1000 + i), 30 + 5 * Math.Sin(i / 40.0)))];

    public static TheoryData<string> Detectors => ["pca", "mset", "ewma"];

    private static IRowDetector Build(string kind, double[][] rows) => kind switch
    {
        "pca" => new PcaDetector(Baseline.Fit(Sensors, rows)),
        "mset" => new MsetDetector(Baseline.Fit(Sensors, rows)),
        _ => new RobustEwmaDetector(rows),
    };

    [Theory, MemberData(nameof(Detectors))]
    public void NormalRows_RarelyAlarm(string kind)
    {
        var detector = Build(kind, BaselineRows(1));
        var random = new Random(99);
        int alarms = Enumerable.Range(0, 400).Count(i => detector.Score(Row(random, 30 + 5 * Math.Sin(i / 40.0 + 0.3))).IsAnomalous);
        Assert.InRange(alarms, 0, 20); // ≤ 5 % on fresh normal data
    }

    [Theory, MemberData(nameof(Detectors))]
    public void PressureThatLeavesThePumpCurve_Alarms_AndIsNamed(string kind)
    {
        var detector = Build(kind, BaselineRows(2));
        var random = new Random(7);
        AnomalyScore? last = null;
        for (int i = 0; i < 30; i++) last = detector.Score(Row(random, 30, pressureOffset: 0.15));
        Assert.True(last!.IsAnomalous, $"score {last.Score} limit {last.Limit}");
        Assert.Equal("pressure", last.TopSensors(Sensors, 1).Single().Sensor);
    }

    [Fact]
    public void ResidualOnlyPca_AcceptsANewOperatingPoint_ButNotABrokenRelation()
    {
        var q = new PcaDetector(Baseline.Fit(Sensors, BaselineRows(5)), residualOnly: true);
        var random = new Random(11);
        // Flow well beyond the baseline's 25–35, with pressure and current following it as the pump curve says.
        int alarms = Enumerable.Range(0, 50).Count(_ => q.Score(Row(random, 40)).IsAnomalous);
        Assert.InRange(alarms, 0, 3);
        var broken = q.Score(Row(random, 30, pressureOffset: 0.15));
        Assert.True(broken.IsAnomalous);
        Assert.Equal("pca-q", q.Name);
    }

    [Fact]
    public void PcaLimits_FollowTheTextbookFormulas()
    {
        var pca = new PcaDetector(Baseline.Fit(Sensors, BaselineRows(3)));
        Assert.InRange(pca.Components, 1, 3);
        Assert.True(pca.T2Limit > pca.Components); // F-based limit exceeds the mean of T² (= k)
        Assert.True(pca.QLimit > 0);
    }

    [Fact]
    public void Cusum_ReportsAStep_SoonAfterItHappens_AndNotDuringTheBaseline()
    {
        var rows = BaselineRows(4);
        var cusum = new CusumDetector(Baseline.Fit(Sensors, rows));
        Assert.All(rows, r => Assert.Empty(cusum.Update(r)));
        cusum.Reset();
        var random = new Random(5);
        int? detectedAt = null;
        for (int i = 0; i < 60 && detectedAt is null; i++)
            if (cusum.Update(Row(random, 30, vibrationOffset: i >= 20 ? 0.005 : 0)).Contains("vibration")) detectedAt = i;
        Assert.NotNull(detectedAt);
        Assert.InRange(detectedAt!.Value, 20, 30);
    }

    [Fact]
    public void Hysteresis_IgnoresASingleSpike_AndClearsOnlyAfterCalm()
    {
        var alarm = new AlarmHysteresis(raiseAfter: 3, clearAfter: 5);
        Assert.False(alarm.Update(true));
        Assert.False(alarm.Update(false));
        Assert.False(alarm.Raised);
        alarm.Update(true); alarm.Update(true);
        Assert.True(alarm.Update(true));
        Assert.True(alarm.Raised);
        for (int i = 0; i < 4; i++) Assert.False(alarm.Update(false));
        Assert.True(alarm.Update(false));
        Assert.False(alarm.Raised);
    }

    [Fact]
    public void BaselineWithTooFewOrBadRows_IsRefusedClearly()
    {
        Assert.Contains("at least 9 rows", Assert.Throws<ArgumentException>(() => Baseline.Fit(Sensors, BaselineRows(1)[..5])).Message);
        var rows = BaselineRows(1);
        rows[3][1] = double.NaN;
        Assert.Contains("row 3", Assert.Throws<ArgumentException>(() => Baseline.Fit(Sensors, rows)).Message);
    }
}
