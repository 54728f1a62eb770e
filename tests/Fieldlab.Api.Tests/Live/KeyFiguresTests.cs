using Fieldlab.Api.Live;

namespace Fieldlab.Api.Tests.Live;

/// <summary>The derived tile figures (pump head and wire-to-water efficiency, electrolyser production and specific
/// energy, fuel-cell efficiency) against numbers worked out by hand, and left out when their inputs are missing or ~0.</summary>
public sealed class KeyFiguresTests
{
    private static Dictionary<string, double> Values(params (string Sensor, double Value)[] values) =>
        values.ToDictionary(v => v.Sensor, v => v.Value, StringComparer.Ordinal);

    [Fact]
    public void PumpHead_IsThePressureRiseOverRhoG_InMetres()
    {
        // Δp = 3.5 − 0.5 = 3 bar = 3·10⁵ Pa; ρ g = 998.2 × 9.80665 = 9788.99803 N/m³;
        // H = 3·10⁵ / 9788.99803 = 30.6466504 m.
        var figures = KeyFigures.Of("pump", Values(("discharge_pressure", 3.5), ("suction_pressure", 0.5)));
        Assert.Equal(30.6466504, figures["head"].Value, 1e-6);
        Assert.Equal("m", figures["head"].Unit);
        // Without flow and power there is no efficiency, and no hydraulic power.
        Assert.Equal("head", Assert.Single(figures).Key);
    }

    [Fact]
    public void PumpHead_UsesTheDifference_NotTheDischargePressureAlone()
    {
        // Suction below atmospheric: Δp = 2.1 − (−0.3) = 2.4 bar; H = 2.4·10⁵ / 9788.99803 = 24.5173203 m
        // (from discharge alone it would be 21.45 m).
        var figures = KeyFigures.Of("pump", Values(("discharge_pressure", 2.1), ("suction_pressure", -0.3)));
        Assert.Equal(24.5173203, figures["head"].Value, 1e-6);
    }

    [Fact]
    public void WireToWater_IsHydraulicOverElectricalPower_InPercent()
    {
        // Q = 36 m³/h = 0.01 m³/s; P_hyd = ρ g Q H = Δp·Q = 3·10⁵ Pa × 0.01 m³/s = 3000 W = 3.0 kW;
        // η = 3.0 / 4.0 = 75 %.
        var figures = KeyFigures.Of("pump", Values(("discharge_pressure", 3.5), ("suction_pressure", 0.5), ("flow", 36), ("motor_power", 4.0)));
        Assert.Equal(3.0, figures["hydraulic_power"].Value, 9);
        Assert.Equal("kW", figures["hydraulic_power"].Unit);
        Assert.Equal(75.0, figures["wire_to_water"].Value, 9);
        Assert.Equal("%", figures["wire_to_water"].Unit);
    }

    [Theory]
    [InlineData(0.0, 4.0)] // no flow: the pump is dead-headed, efficiency is meaningless, not 0 %
    [InlineData(36.0, 0.0)] // motor off: division by ~0
    [InlineData(36.0, 0.04)] // standby draw of the drive, below the 0.05 kW threshold
    public void WireToWater_IsLeftOut_WhenFlowOrPowerIsAboutZero(double flow, double power)
    {
        var figures = KeyFigures.Of("pump", Values(("discharge_pressure", 3.5), ("suction_pressure", 0.5), ("flow", flow), ("motor_power", power)));
        Assert.True(figures.ContainsKey("head"), "head needs only the two pressures");
        Assert.False(figures.ContainsKey("wire_to_water"), $"flow {flow}, power {power}: efficiency {(figures.TryGetValue("wire_to_water", out var f) ? f.Value : 0)} shown");
        Assert.False(figures.ContainsKey("hydraulic_power"));
    }

    [Theory]
    [InlineData("suction_pressure")]
    [InlineData("discharge_pressure")]
    public void PumpFigures_AreLeftOut_WhenAPressureIsMissing(string missing)
    {
        var values = Values(("discharge_pressure", 3.5), ("suction_pressure", 0.5), ("flow", 36), ("motor_power", 4.0));
        values.Remove(missing);
        Assert.Empty(KeyFigures.Of("pump", values));
    }

    [Fact]
    public void Electrolyser_ProductionAndSpecificEnergy_FromPowerAndNormalLitresPerMinute()
    {
        // 100 Nl/min = 6 Nm³/h; × 0.08988 kg/Nm³ = 0.53928 kg/h = 539.28 g/h;
        // specific energy = 30 kW / 0.53928 kg/h = 55.6297285 kWh/kg.
        var figures = KeyFigures.Of("electrolyser", Values(("power", 30.0), ("h2_flow", 100.0)));
        Assert.Equal(539.28, figures["h2_production"].Value, 9);
        Assert.Equal("g/h", figures["h2_production"].Unit);
        Assert.Equal(55.6297285, figures["specific_energy"].Value, 1e-6);
        Assert.Equal("kWh/kg", figures["specific_energy"].Unit);
        Assert.Equal(0.53928, KeyFigures.HydrogenKgPerHour(100), 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.005)] // flow meter noise at standstill
    public void Electrolyser_FiguresAreLeftOut_WithoutHydrogenFlow(double flow)
    {
        Assert.Empty(KeyFigures.Of("electrolyser", Values(("power", 30.0), ("h2_flow", flow))));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)] // the stack's standby draw
    public void Electrolyser_SpecificEnergyIsLeftOut_WhenPowerIsAboutZero(double power)
    {
        // Hydrogen still read by the flow meter (purge, run-down) while the stack draws nothing: 0 / 0.53928 kg/h would be
        // shown as "0 kWh/kg", which no electrolyser can do. The class's contract: no power → left out, not shown as 0.
        var figures = KeyFigures.Of("electrolyser", Values(("power", power), ("h2_flow", 100.0)));
        Assert.False(figures.ContainsKey("specific_energy"),
            $"power {power} kW: specific energy {(figures.TryGetValue("specific_energy", out var f) ? f.Value : double.NaN)} kWh/kg shown");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void FuelCell_EfficiencyIsLeftOut_WhenPowerIsAboutZero(double power)
    {
        // At open circuit the stack delivers nothing: "0 %" is the figure the class promises to leave out (no power).
        var figures = KeyFigures.Of("fuel-cell", Values(("power", power), ("h2_flow", 50.0)));
        Assert.False(figures.ContainsKey("efficiency_lhv"),
            $"power {power} kW: efficiency {(figures.TryGetValue("efficiency_lhv", out var f) ? f.Value : double.NaN)} % shown");
    }

    [Fact]
    public void Electrolyser_FiguresAreLeftOut_WithoutPower()
    {
        Assert.Empty(KeyFigures.Of("electrolyser", Values(("h2_flow", 100.0))));
    }

    [Fact]
    public void FuelCell_Efficiency_IsElectricalPowerOverTheHydrogensLowerHeatingValue()
    {
        // 50 Nl/min = 3 Nm³/h × 0.08988 = 0.26964 kg/h; × 33.33 kWh/kg = 8.9871012 kW of hydrogen (LHV);
        // η = 4.5 / 8.9871012 = 50.0717629 %.
        var figures = KeyFigures.Of("fuel-cell", Values(("power", 4.5), ("h2_flow", 50.0)));
        Assert.Equal(50.0717629, figures["efficiency_lhv"].Value, 1e-6);
        Assert.Equal("%", figures["efficiency_lhv"].Unit);
        Assert.Equal("efficiency_lhv", Assert.Single(figures).Key);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)] // at the threshold: not above it
    public void FuelCell_EfficiencyIsLeftOut_WithoutHydrogenFlow(double flow)
    {
        Assert.Empty(KeyFigures.Of("fuel-cell", Values(("power", 4.5), ("h2_flow", flow))));
    }

    [Theory]
    [InlineData("motor")]
    [InlineData("other")]
    [InlineData(null)]
    public void KindsWithoutFigures_GetNone_EvenWithMatchingSensorNames(string? kind)
    {
        // A motor with a "power" and "h2_flow" sensor is still not a fuel cell: figures follow the kind of the birth.
        var values = Values(("discharge_pressure", 3.5), ("suction_pressure", 0.5), ("power", 4.5), ("h2_flow", 50.0));
        Assert.Empty(KeyFigures.Of(kind, values));
    }
}
