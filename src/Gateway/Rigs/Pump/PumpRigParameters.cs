namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>The physical make-up of the simulated pump rig: pump, motor, drive, piping and fluid.</summary>
public sealed record PumpRigParameters
{
    /// <summary>Pump characteristic at rated speed.</summary>
    public PumpCurve Curve { get; init; } = PumpCurve.Standard;

    /// <summary>Motor rated shaft power, kW.</summary>
    public double MotorRatedPowerKw { get; init; } = 7.5;

    /// <summary>Motor efficiency at rated load (IE3 7.5 kW 2-pole: 90.4 % per IEC 60034-30-1).</summary>
    public double MotorRatedEfficiency { get; init; } = 0.904;

    /// <summary>Power factor at rated load.</summary>
    public double MotorRatedPowerFactor { get; init; } = 0.86;

    /// <summary>Line-to-line supply voltage, V.</summary>
    public double SupplyVoltageV { get; init; } = 400;

    /// <summary>Variable-speed drive efficiency.</summary>
    public double DriveEfficiency { get; init; } = 0.97;

    /// <summary>Winding temperature rise at rated losses, K.</summary>
    public double MotorRatedTemperatureRiseK { get; init; } = 60;

    /// <summary>Thermal time constant of the motor, s.</summary>
    public double MotorThermalTimeConstantS { get; init; } = 900;

    /// <summary>Ambient temperature, °C.</summary>
    public double AmbientTemperatureC { get; init; } = 20;

    /// <summary>Static head the pump lifts against (tank levels and height), m.</summary>
    public double StaticHeadM { get; init; } = 10;

    /// <summary>System resistance with the valve fully open, m per (m³/h)²; chosen so that full speed and open valve meet the BEP.</summary>
    public double PipeResistance { get; init; } = (32.0 - 10.0) / (40.0 * 40.0);

    /// <summary>Height of the suction tank's water level above the pump inlet, m.</summary>
    public double SuctionStaticHeadM { get; init; } = 2.0;

    /// <summary>Suction line loss at the BEP flow, m (scales with Q²).</summary>
    public double SuctionLossAtBepM { get; init; } = 0.5;

    /// <summary>Water density, kg/m³ (20 °C).</summary>
    public double DensityKgM3 { get; init; } = 998.2;

    /// <summary>Vapour pressure of the water, bar (20 °C).</summary>
    public double VapourPressureBar { get; init; } = 0.0234;

    /// <summary>Atmospheric pressure on the suction tank, bar.</summary>
    public double AtmosphericPressureBar { get; init; } = 1.01325;

    /// <summary>Vibration velocity RMS at rated speed in good condition, mm/s.</summary>
    public double BaselineVibrationMmS { get; init; } = 1.2;
}
