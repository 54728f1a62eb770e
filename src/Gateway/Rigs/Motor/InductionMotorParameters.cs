using Fieldlab.PredictiveMaintenance.Bearings;

namespace Fieldlab.Gateway.Rigs.Motor;

/// <summary>Nameplate and construction of the simulated induction motor: a 5.5 kW 4-pole IE3 motor on 400 V / 50 Hz.</summary>
public sealed record InductionMotorParameters
{
    /// <summary>Rated shaft power, kW.</summary>
    public double RatedPowerKw { get; init; } = 5.5;

    /// <summary>Line-to-line voltage, V.</summary>
    public double RatedVoltageV { get; init; } = 400;

    /// <summary>Supply frequency, Hz.</summary>
    public double SupplyFrequencyHz { get; init; } = 50;

    /// <summary>Pole pairs (2 = 4-pole, 1500 rpm synchronous at 50 Hz).</summary>
    public int PolePairs { get; init; } = 2;

    /// <summary>Slip at rated load (1455 rpm).</summary>
    public double RatedSlip { get; init; } = 0.03;

    /// <summary>Efficiency at rated load (IEC 60034-30-1 IE3, 5.5 kW 4-pole: 89.6 %).</summary>
    public double RatedEfficiency { get; init; } = 0.896;

    /// <summary>Power factor at rated load.</summary>
    public double RatedPowerFactor { get; init; } = 0.83;

    /// <summary>No-load (magnetising) current as a fraction of rated current.</summary>
    public double NoLoadCurrentFraction { get; init; } = 0.38;

    /// <summary>Winding temperature rise at rated load, K (class F insulation run at class B rise).</summary>
    public double RatedTemperatureRiseK { get; init; } = 75;

    /// <summary>Thermal time constant, s.</summary>
    public double ThermalTimeConstantS { get; init; } = 1800;

    /// <summary>Ambient temperature, °C.</summary>
    public double AmbientTemperatureC { get; init; } = 22;

    /// <summary>Drive-end bearing.</summary>
    public BearingGeometry Bearing { get; init; } = BearingGeometry.Skf6205;

    /// <summary>Rated current from P = √3·V·I·cos φ·η.</summary>
    public double RatedCurrentA => RatedPowerKw * 1000 / (Math.Sqrt(3) * RatedVoltageV * RatedPowerFactor * RatedEfficiency);

    /// <summary>Synchronous speed, Hz (revolutions per second).</summary>
    public double SynchronousHz => SupplyFrequencyHz / PolePairs;
}
