using Fieldlab.Gateway.Rigs.Pump;

namespace Fieldlab.Gateway.Tests.Rigs.Pump;

public sealed class PumpPhysicsTests
{
    private static readonly PumpCurve Curve = PumpCurve.Standard;

    [Theory]
    [InlineData(0.6)]
    [InlineData(0.8)]
    [InlineData(1.2)]
    public void AffinityLaws_HoldWithinOnePercent(double speedRatio)
    {
        // Similar operating points: Q ∝ n, H ∝ n², shaft power ∝ n³ (Gülich §3.4), on a system with no static head.
        var parameters = new PumpRigParameters { StaticHeadM = 0, PipeResistance = 32.0 / (40 * 40) };
        var hydraulics = new PumpHydraulics(parameters);
        var condition = new PumpCondition();
        var rated = hydraulics.Solve(Curve.RatedSpeedRpm, 1.0, condition);
        var scaled = hydraulics.Solve(Curve.RatedSpeedRpm * speedRatio, 1.0, condition);
        Assert.Equal(speedRatio, scaled.FlowM3h / rated.FlowM3h, 0.01 * speedRatio);
        Assert.Equal(speedRatio * speedRatio, scaled.HeadM / rated.HeadM, 0.01 * speedRatio * speedRatio);
        Assert.Equal(Math.Pow(speedRatio, 3), scaled.ShaftPowerKw / rated.ShaftPowerKw, 0.01 * Math.Pow(speedRatio, 3));
    }

    [Fact]
    public void EfficiencyPeaks_AtTheConfiguredBestEfficiencyPoint()
    {
        double bestFlow = 0, best = 0;
        for (double q = 1; q < 80; q += 0.01)
        {
            double eta = Curve.Efficiency(q, Curve.RatedSpeedRpm);
            if (eta > best) { best = eta; bestFlow = q; }
        }
        Assert.Equal(Curve.BepFlowM3h, bestFlow, 0.02);
        Assert.Equal(Curve.BepEfficiency, best, 1e-6);
        Assert.Equal(Curve.BepHeadM, Curve.Head(Curve.BepFlowM3h, Curve.RatedSpeedRpm), 1e-9);
    }

    [Fact]
    public void DefaultRig_AtFullSpeedAndOpenValve_RunsAtItsBep()
    {
        var point = new PumpHydraulics(new PumpRigParameters()).Solve(Curve.RatedSpeedRpm, 1.0, new PumpCondition());
        Assert.Equal(40, point.FlowM3h, 0.01);
        Assert.Equal(32, point.HeadM, 0.01);
        Assert.Equal(0.72, point.PumpEfficiency, 1e-3);
        // Hydraulic power ρ·g·Q·H: 998.2 × 9.80665 × (40/3600) × 32 W ≈ 3.48 kW.
        Assert.Equal(998.2 * 9.80665 * 40 / 3600 * 32 / 1000, point.HydraulicPowerKw, 1e-9);
        Assert.False(point.IsCavitating);
    }

    [Fact]
    public void ElectricalPower_CoversShaftPowerPlusMotorAndDriveLosses_AndCurrentFollowsFromIt()
    {
        var p = new PumpRigParameters();
        var point = new PumpHydraulics(p).Solve(Curve.RatedSpeedRpm, 1.0, new PumpCondition());
        Assert.True(point.ElectricalPowerKw > point.ShaftPowerKw / p.MotorRatedEfficiency * 0.95);
        Assert.Equal(point.ElectricalPowerKw, (point.ShaftPowerKw + point.MotorLossKw) / p.DriveEfficiency, 1e-9);
        double pf = point.ElectricalPowerKw * 1000 / (Math.Sqrt(3) * p.SupplyVoltageV * point.CurrentA);
        Assert.InRange(pf, 0.5, p.MotorRatedPowerFactor);
    }

    [Fact]
    public void ThrottlingTheValve_MovesThePumpBackAlongItsCurve()
    {
        var hydraulics = new PumpHydraulics(new PumpRigParameters());
        var open = hydraulics.Solve(Curve.RatedSpeedRpm, 1.0, new PumpCondition());
        var throttled = hydraulics.Solve(Curve.RatedSpeedRpm, 0.5, new PumpCondition());
        Assert.True(throttled.FlowM3h < open.FlowM3h);
        Assert.True(throttled.HeadM > open.HeadM);
        Assert.Equal(Curve.Head(throttled.FlowM3h, Curve.RatedSpeedRpm), throttled.HeadM, 1e-6);
    }

    [Fact]
    public void SuctionRestriction_LowersNpshAvailable_UntilThePumpCavitates()
    {
        var hydraulics = new PumpHydraulics(new PumpRigParameters());
        var healthy = hydraulics.Solve(Curve.RatedSpeedRpm, 1.0, new PumpCondition());
        var starved = hydraulics.Solve(Curve.RatedSpeedRpm, 1.0, new PumpCondition { SuctionRestriction = 0.8 });
        Assert.True(healthy.NpshAvailableM > healthy.NpshRequiredM);
        Assert.True(starved.IsCavitating);
        Assert.True(starved.HeadM < healthy.HeadM);
    }

    [Fact]
    public void SameSeed_GivesTheSameData()
    {
        static double[] Run(int seed)
        {
            var rig = new PumpRig(seed, 10);
            var values = new double[rig.Process.Sensors.Count];
            var all = new List<double>();
            for (int i = 0; i < 3000; i++)
            {
                rig.Process.Sample(1_000_000_000L * 1_700_000_000 + i * 100_000_000L, values);
                all.AddRange(values);
            }
            return [.. all];
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }
}
