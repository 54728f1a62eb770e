using Fieldlab.Gateway.Rigs.Electrolyser;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.PredictiveMaintenance.Energy;

namespace Fieldlab.PredictiveMaintenance.Tests.Energy;

/// <summary>The energy models checked against the simulated rigs, whose true values are known: what the models read
/// from the sensors must match what the simulator computed.</summary>
public sealed class EnergyGroundTruthTests
{
    private const long Start = 1_700_000_000_000_000_000L;

    // Sensor order of the pump's process stream: speed, valve, flow, suction, discharge, power, current, temperature, vibration.
    private static PumpDutyPoint Duty(double[] v) => new(v[2], v[4] - v[3], v[5], v[0]);

    private static IEnumerable<double[]> Run(Action<int, double[]> sample, int rows)
    {
        for (int i = 0; i < rows; i++)
        {
            var v = new double[9];
            sample(i, v);
            yield return v;
        }
    }

    [Fact]
    public void PumpBep_IsFoundFromOperatingHistory_Within3PercentOfTheConfiguredFlow()
    {
        // A bypass halves the line's resistance so the history covers flows on both sides of the BEP (40 m³/h).
        var rig = new PumpRig(3, 10, new PumpRigParameters { PipeResistance = 0.5 * (32.0 - 10.0) / (40.0 * 40.0) });
        var history = new List<PumpDutyPoint>();
        long t = Start;
        foreach (double speed in new[] { 0.8, 0.9, 1.0 })
            foreach (double valve in new[] { 0.35, 0.45, 0.55, 0.65, 0.8, 1.0 })
            {
                rig.Process.SpeedOverride = speed;
                rig.Process.ValveOverride = valve;
                var v = new double[9];
                for (int i = 0; i < 200; i++, t += 100_000_000L) // settle (the valve strokes at 5 %/s)
                {
                    rig.Process.Sample(t, v);
                    if (i >= 180) history.Add(Duty((double[])v.Clone()));
                }
            }
        var curve = PumpPerformance.Fit(history, rig.Hydraulics.Parameters.Curve.RatedSpeedRpm);
        Assert.InRange(curve.BepFlowM3h, 40 * 0.97, 40 * 1.03);
        // Wire-to-water at the BEP: pump 72 % × motor ≈ 0.9 × drive 0.97.
        Assert.InRange(curve.BepEfficiency, 0.58, 0.66);
        Assert.InRange(curve.BepHeadM, 32 * 0.95, 32 * 1.05);
        var duty = history[^1];
        double truth = rig.Current.ElectricalPowerKw / rig.Current.FlowM3h;
        Assert.Equal(truth, PumpPerformance.SpecificEnergyKwhPerM3(duty.ElectricalKw, duty.FlowM3h), truth * 0.02);
        Assert.Equal(rig.Current.HydraulicPowerKw, PumpPerformance.HydraulicPowerKw(duty.FlowM3h, duty.PressureRiseBar), rig.Current.HydraulicPowerKw * 0.02);
        var throttled = history.First();
        Assert.True(curve.DistanceFromBep(throttled.FlowM3h, throttled.SpeedRpm) < -0.2, "a throttled valve sits left of the BEP");
        var saving = curve.SavingsAtBep(throttled.FlowM3h, throttled.PressureRiseBar, throttled.ElectricalKw, 4000, 0.25);
        Assert.True(saving.KwhPerYear > 0 && saving.PowerAtBepKw < throttled.ElectricalKw);
    }

    [Fact]
    public void SlowingDownInsteadOfThrottling_SavesWhatTheSimulatorSays()
    {
        var rig = new PumpRig(11, 10, new PumpRigParameters { PipeResistance = 0.5 * (32.0 - 10.0) / (40.0 * 40.0) });
        var v = new double[9];
        long t = Start;
        var history = new List<PumpDutyPoint>();
        var open = new List<(double, double)>();
        double[] Settle(double speed, double valve)
        {
            rig.Process.SpeedOverride = speed;
            rig.Process.ValveOverride = valve;
            for (int i = 0; i < 200; i++, t += 100_000_000L)
            {
                rig.Process.Sample(t, v);
                if (i < 180) continue;
                history.Add(Duty((double[])v.Clone()));
                if (valve >= 0.99) open.Add((v[2], PumpPerformance.HeadM(v[4] - v[3])));
            }
            return (double[])v.Clone();
        }
        // History: open valve at several speeds (the system curve) and throttled points at full speed.
        foreach (double speed in new[] { 0.75, 0.85, 0.95, 1.0 }) Settle(speed, 1.0);
        foreach (double valve in new[] { 0.3, 0.4, 0.5, 0.6, 0.8 }) Settle(1.0, valve);
        var curve = PumpPerformance.Fit(history, 2900);
        var line = SystemCurve.Fit(open);
        Assert.Equal(10, line.StaticHeadM, 1.0); // the rig's static head

        var throttled = Settle(1.0, 0.5);
        var saving = curve.SavingsBySpeed(throttled[2], line, throttled[5], 4000, 0.25);
        Assert.NotNull(saving);
        // Ground truth: run the rig at the suggested speed with the valve open and read its power.
        var slowed = Settle(saving!.Value.SpeedRatio, 1.0);
        Assert.Equal(throttled[2], slowed[2], throttled[2] * 0.03);          // the same flow
        Assert.Equal(slowed[5], saving.Value.PowerKw, slowed[5] * 0.08);     // the predicted power
        Assert.True(saving.Value.KwhPerYear > 1000, $"saving {saving.Value.KwhPerYear:F0} kWh/year");
    }

    [Fact]
    public void PumpHistoryThatNeverPassesTheBep_IsRefusedRatherThanExtrapolated()
    {
        var rig = new PumpRig(4, 10);
        var history = new List<PumpDutyPoint>();
        long t = Start;
        foreach (double valve in new[] { 0.4, 0.6, 0.8 })
        {
            rig.Process.ValveOverride = valve;
            var v = new double[9];
            for (int i = 0; i < 150; i++, t += 100_000_000L) { rig.Process.Sample(t, v); if (i > 130) history.Add(Duty((double[])v.Clone())); }
        }
        Assert.Throws<ArgumentException>(() => PumpPerformance.Fit(history, 2900));
    }

    [Fact]
    public void ImpellerWear_ShowsAsACusumStep_WithinSixPeriodsOfTenSeconds()
    {
        var rig = new PumpRig(5, 10);
        var v = new double[9];
        long t = Start;
        var drivers = new List<double[]>();
        var energy = new List<double>();
        // One period = 10 s at 10 Hz: energy = mean electrical power; drivers = hydraulic power and speed³ (ISO 50006:
        // the relevant variables of a pump's energy use). The valve and speed move through the baseline.
        (double[] Drivers, double Power) Period(double valve, double speed)
        {
            rig.Process.ValveOverride = valve;
            rig.Process.SpeedOverride = speed;
            double p = 0, hyd = 0, s3 = 0;
            for (int i = 0; i < 100; i++, t += 100_000_000L)
            {
                rig.Process.Sample(t, v);
                p += v[5]; hyd += PumpPerformance.HydraulicPowerKw(v[2], v[4] - v[3]); s3 += Math.Pow(v[0] / 2900, 3);
            }
            return ([hyd / 100, s3 / 100], p / 100);
        }
        var random = new Random(1);
        for (int k = 0; k < 60; k++)
        {
            var (d, e) = Period(0.6 + 0.4 * random.NextDouble(), 0.85 + 0.13 * random.NextDouble());
            if (k < 3) continue; // settling
            drivers.Add(d); energy.Add(e);
        }
        var baseline = EnergyBaseline.Fit(["hydraulic_kw", "speed_cubed"], drivers, energy);
        Assert.True(baseline.RSquared > 0.9, $"R² {baseline.RSquared}");
        for (int k = 0; k < 20; k++) { var (d, e) = Period(0.6 + 0.4 * random.NextDouble(), 0.85 + 0.13 * random.NextDouble()); baseline.Observe(d, e); }
        Assert.Null(baseline.ChangeDetected);

        rig.SetFault("impeller_wear", 0.6); // 9 points less pump efficiency
        int wearFrom = baseline.Periods;
        for (int k = 0; k < 10; k++) { var (d, e) = Period(0.6 + 0.4 * random.NextDouble(), 0.85 + 0.13 * random.NextDouble()); baseline.Observe(d, e); }
        Assert.NotNull(baseline.ChangeDetected);
        Assert.InRange(baseline.ChangeDetected!.Value - wearFrom, 0, 5);
        Assert.True(baseline.Cusum > 0, "more energy than expected after the wear");
    }

    [Fact]
    public void ElectrolyserSec_FromSensors_IsWithin1PercentOfTheSimulator()
    {
        var rig = new ElectrolyserRig(6, 10);
        var v = new double[8];
        long t = Start;
        var secs = new List<(double Measured, double Truth)>();
        foreach (double current in new[] { 20.0, 50, 80 })
        {
            rig.Process.CurrentOverride = current;
            for (int i = 0; i < 300; i++, t += 100_000_000L)
            {
                rig.Process.Sample(t, v);
                if (i < 250) continue;
                secs.Add((HydrogenKpis.SpecificEnergyKwhPerKg(v[3], v[5]), rig.Current.SpecificEnergyKwhPerKg));
                int cells = HydrogenKpis.Cells(v[1], v[2]);
                Assert.Equal(rig.Stack.Parameters.Cells, cells);
                Assert.Equal(rig.Current.FaradayEfficiency, HydrogenKpis.FaradayEfficiency(v[5], v[0], cells), 0.02);
                Assert.InRange(HydrogenKpis.VoltageEfficiencyHhv(v[2]), 0.6, 1.0);
            }
        }
        double measured = secs.Average(s => s.Measured), truth = secs.Average(s => s.Truth);
        Assert.Equal(truth, measured, truth * 0.01);
    }

    [Fact]
    public void ElectrolyserDegradationRate_IsRecoveredFromTheSensors()
    {
        var rig = new ElectrolyserRig(7, 1, new ElectrolyserParameters { TimeAcceleration = 3600 }); // 1 s = 1 h
        var v = new double[8];
        long t = Start;
        var samples = new List<(double, double, double)>();
        var random = new Random(2);
        for (int i = 0; i < 2000; i++, t += 1_000_000_000L)
        {
            rig.Process.CurrentOverride = 40 + 40 * random.NextDouble();
            rig.Process.Sample(t, v);
            if (i > 100) samples.Add((v[7], v[0], v[2]));
        }
        double rate = HydrogenKpis.DegradationMicrovoltsPerHour(samples);
        Assert.Equal(rig.Stack.Parameters.DegradationMicrovoltsPerHour, rate, rig.Stack.Parameters.DegradationMicrovoltsPerHour * 0.25);
    }

    [Fact]
    public void ElectrolyserDrift_WithTheTemperatureTerm_IsNotFooledByWarmUp()
    {
        // The first hours of a cold start: the stack warms up while it ages. Without a temperature term the warm-up
        // would pass for a drift many times the real one.
        var rig = new ElectrolyserRig(10, 1, new ElectrolyserParameters { TimeAcceleration = 60 }); // 1 s = 1 min
        var v = new double[8];
        long t = Start;
        var samples = new List<(double, double, double, double)>();
        var random = new Random(3);
        for (int i = 0; i < 3000; i++, t += 1_000_000_000L)
        {
            rig.Process.CurrentOverride = 40 + 40 * random.NextDouble();
            rig.Process.Sample(t, v);
            samples.Add((v[7], v[0], v[4], v[2]));
        }
        var trend = HydrogenKpis.VoltageTrend(samples);
        Assert.Equal(rig.Stack.Parameters.DegradationMicrovoltsPerHour, trend.VoltsPerHour * 1e6, rig.Stack.Parameters.DegradationMicrovoltsPerHour * 0.5);
        Assert.True(trend.VoltsPerKelvin < 0, "a warmer PEM cell needs less voltage");
    }

    [Fact]
    public void ElectrolyserDrift_UnderALoadRampThatRunsWithTime_IsRefusedAsNotIdentifiable_ButFoundUnderACyclingLoad()
    {
        // A current that ramps with time makes ageing and load indistinguishable: no drift must be reported.
        var rig = new ElectrolyserRig(12, 1, new ElectrolyserParameters { TimeAcceleration = 60 });
        var v = new double[8];
        long t = Start;
        var samples = new List<(double, double, double, double)>();
        for (int i = 0; i < 3000; i++, t += 1_000_000_000L)
        {
            rig.Process.CurrentOverride = 15 + 65.0 * i / 3000;
            rig.Process.Sample(t, v);
            if (i > 300) samples.Add((v[7], v[0], v[4], v[2]));
        }
        Assert.Contains("not identifiable", Assert.Throws<ArgumentException>(() => HydrogenKpis.VoltageTrend(samples)).Message);

        // A daily cycle (as a solar-fed electrolyser sees) over several days separates them again.
        var cycling = new ElectrolyserRig(13, 1, new ElectrolyserParameters { TimeAcceleration = 600 }); // 1 s = 10 min
        samples.Clear();
        for (int i = 0; i < 3000; i++, t += 1_000_000_000L)
        {
            cycling.Process.CurrentOverride = 45 + 30 * Math.Sin(2 * Math.PI * i / 144.0); // 144 s = 24 h
            cycling.Process.Sample(t, v);
            if (i > 300) samples.Add((v[7], v[0], v[4], v[2]));
        }
        double rate = HydrogenKpis.VoltageTrend(samples).VoltsPerHour * 1e6;
        Assert.Equal(cycling.Stack.Parameters.DegradationMicrovoltsPerHour, rate, cycling.Stack.Parameters.DegradationMicrovoltsPerHour * 0.5);
    }

    [Fact]
    public void FuelCellEfficiency_FromSensors_MatchesTheSimulator()
    {
        var rig = new FuelCellRig(8, 10);
        var v = new double[7];
        long t = Start;
        rig.Process.CurrentOverride = 40;
        for (int i = 0; i < 300; i++, t += 100_000_000L) rig.Process.Sample(t, v);
        var (lhv, hhv) = HydrogenKpis.FuelCellEfficiency(v[3], v[5]);
        Assert.Equal(rig.Current.EfficiencyLhv, lhv, rig.Current.EfficiencyLhv * 0.02);
        Assert.Equal(lhv * 241.82 / 285.83, hhv, 1e-9);
    }

    [Fact]
    public void MotorLoadAndEfficiency_BySlip_TrackTheSimulator_AndTheClassIsNamed()
    {
        var rig = new MotorRig(9, 10, 12800, 1);
        var v = new double[10];
        long t = Start;
        rig.Process.LoadOverride = 0.8;
        for (int i = 0; i < 600; i++, t += 100_000_000L) rig.Process.Sample(t, v);
        var p = rig.Motor.Parameters;
        double input = MotorEfficiency.InputKw(v[1], v[2], v[3]);
        Assert.Equal(rig.Current.InputKw, input, rig.Current.InputKw * 0.02);
        var (load, _, efficiency) = MotorEfficiency.BySlip(v[5], v[0], 2 * p.PolePairs, 60 * p.SupplyFrequencyHz / p.PolePairs * (1 - p.RatedSlip), p.RatedPowerKw, input,
            windingTemperatureC: v[7], ratedWindingTemperatureC: p.AmbientTemperatureC + p.RatedTemperatureRiseK);
        Assert.Equal(0.8, load, 0.12);
        Assert.Equal(rig.Current.Efficiency, efficiency, 0.03);
        Assert.Equal(IeClass.Ie3, MotorEfficiency.ClassOf(0.896, 5.5));
        Assert.Equal(IeClass.Ie2, MotorEfficiency.ClassOf(0.88, 5.5));
    }
}
