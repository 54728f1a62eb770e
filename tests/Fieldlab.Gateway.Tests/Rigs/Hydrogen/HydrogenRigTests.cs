using Fieldlab.Gateway.Rigs.Electrolyser;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.PredictiveMaintenance.Hydrogen;

namespace Fieldlab.Gateway.Tests.Rigs.Hydrogen;

public sealed class HydrogenRigTests
{
    [Fact]
    public void ElectrolyserHydrogen_FollowsFaradaysLaw()
    {
        var stack = new ElectrolyserStack(new ElectrolyserParameters());
        var point = stack.Solve(currentA: 60, temperatureC: 60, ageingHours: 0);
        // ṅ = N·I/(2F)·η_F with η_F = 1 − i_x/i (i = 60 A / 50 cm² = 1.2 A/cm², i_x = 0.01 A/cm²).
        double faraday = 1 - 0.01 / 1.2;
        Assert.Equal(faraday, point.FaradayEfficiency, 12);
        Assert.Equal(10 * 60 / (2 * 96485.33212) * faraday, point.HydrogenMolPerS, 12);
    }

    [Fact]
    public void ElectrolyserProcessStream_ReportsFaradaysHydrogenFlow()
    {
        var rig = new ElectrolyserRig(seed: 1, rateHz: 1);
        rig.Process.CurrentOverride = 50;
        var values = new double[rig.Process.Sensors.Count];
        rig.Process.Sample(1_700_000_000_000_000_000L, values);
        double expected = Electrochemistry.HydrogenMolesPerSecond(50, 10, 1 - 0.01) * Electrochemistry.NormalLitresPerMole * 60;
        Assert.Equal(expected, values[5], expected * 0.02);
    }

    [Fact]
    public void ElectrolyserVoltage_RisesAtTheConfiguredDegradationRate()
    {
        var rig = new ElectrolyserRig(seed: 2, rateHz: 1, new ElectrolyserParameters { DegradationMicrovoltsPerHour = 15, TimeAcceleration = 3600 });
        rig.Process.CurrentOverride = 60;
        var values = new double[rig.Process.Sensors.Count];
        var hours = new List<double>();
        var volts = new List<double>();
        for (int i = 0; i < 2000; i++)
        {
            rig.Process.Sample(1_700_000_000_000_000_000L + i * 1_000_000_000L, values);
            hours.Add(rig.OperatingHours);
            volts.Add(rig.Current.CellVoltage);
        }
        // After the thermal transient, the cell voltage slope over operating hours is the degradation rate.
        var (intercept, slope) = MathNet.Numerics.Fit.Line(hours.Skip(1500).ToArray(), volts.Skip(1500).ToArray());
        Assert.Equal(15e-6, slope, 0.5e-6);
        Assert.Equal(2000, rig.OperatingHours, 1);
    }

    [Fact]
    public void ElectrolyserSpecificEnergy_IsAboutFiftyKilowattHoursPerKilogram()
    {
        var point = new ElectrolyserStack(new ElectrolyserParameters()).Solve(50, 60, 0);
        Assert.InRange(point.SpecificEnergyKwhPerKg, 42, 55);
    }

    [Fact]
    public void FuelCellVoltage_DeclinesAtTheConfiguredRate_UnderConstantLoad()
    {
        var parameters = new FuelCellParameters { DegradationMicrovoltsPerHour = 40 };
        var stack = new FuelCellStack(parameters);
        double current = parameters.NominalCurrentDensity * parameters.CellAreaCm2;
        double fresh = stack.Solve(current, stack.AgedCell(0)).CellVoltage;
        double aged = stack.Solve(current, stack.AgedCell(1000)).CellVoltage;
        Assert.Equal(-40e-6 * 1000, aged - fresh, 1e-4);
    }

    [Fact]
    public void FuelCellHydrogenConsumption_FollowsFaradaysLaw_PlusLosses()
    {
        var stack = new FuelCellStack(new FuelCellParameters());
        var point = stack.Solve(70, stack.AgedCell(0));
        Assert.Equal(5 * 70 / (2 * 96485.33212) * 1.02, point.HydrogenMolPerS, 12);
        Assert.InRange(point.EfficiencyLhv, 0.40, 0.60);
    }

    [Fact]
    public void FuelCellCurve_IsCloseToTheFclabStackWhenNew()
    {
        var stack = new FuelCellStack(new FuelCellParameters());
        double v07 = stack.Solve(70, stack.AgedCell(0)).CellVoltage;
        Assert.InRange(v07, 0.62, 0.70);
    }
}
