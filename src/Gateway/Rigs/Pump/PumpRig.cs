using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Rigs.Pump;

/// <summary>A simulated centrifugal pump rig on a variable-speed drive, publishing its process stream.</summary>
/// <remarks>Operation follows a deterministic duty cycle (speed swings between 82 % and 98 % over 15 minutes; the
/// discharge valve moves to a new seeded position every few minutes), so students see the pump move along its curve.</remarks>
public sealed class PumpRig : ISimulatedRig
{
    /// <summary>Creates the rig with a seed for its noise and duty cycle.</summary>
    public PumpRig(int seed, double rateHz, PumpRigParameters? parameters = null)
    {
        Hydraulics = new PumpHydraulics(parameters ?? new PumpRigParameters());
        Process = new ProcessStream(this, seed, rateHz);
        Streams = [Process];
    }

    /// <inheritdoc />
    public string Kind => "pump";

    /// <inheritdoc />
    public string Description => "Centrifugal pump 7.5 kW on a variable-speed drive (simulated)";

    /// <inheritdoc />
    public IReadOnlyList<SimulatedStream> Streams { get; }

    /// <summary>Current health; faults write here.</summary>
    public PumpCondition Condition { get; } = new();

    /// <inheritdoc />
    public IReadOnlyList<FaultKind> Faults { get; } =
    [
        new("cavitation", "Suction starved (clogged strainer, low tank): NPSH available falls below required; head drops, flow and pressure get noisy, vibration rises"),
        new("impeller_wear", "Worn impeller: up to 25 % less head and 15 points less efficiency"),
        new("bearing_wear", "Worn pump bearing: more vibration, friction and heat"),
        new("clogging", "Discharge clogged or throttled: system resistance up to 10×, flow falls along the pump curve"),
    ];

    /// <inheritdoc />
    public void SetFault(string fault, double severity)
    {
        severity = Math.Clamp(severity, 0, 1);
        switch (fault)
        {
            // Severity 1 adds 12 m of suction loss at BEP flow; NPSH margin runs out at about 0.55 on the default rig.
            case "cavitation": Condition.SuctionRestriction = severity; break;
            case "impeller_wear": Condition.ImpellerWear = severity; break;
            case "bearing_wear": Condition.BearingWear = severity; break;
            case "clogging": Condition.DischargeClogging = severity; break;
            default: throw new ArgumentException($"The pump rig has no fault '{fault}'.", nameof(fault));
        }
    }

    /// <summary>The hydraulic model.</summary>
    public PumpHydraulics Hydraulics { get; }

    /// <summary>The process stream (flow, pressures, power, temperature, vibration).</summary>
    public ProcessStream Process { get; }

    /// <summary>Last solved operating point (ground truth before sensor noise).</summary>
    public PumpOperatingPoint Current { get; private set; }

    /// <summary>The process stream of the pump rig.</summary>
    public sealed class ProcessStream : SimulatedStream
    {
        private static readonly SensorSpec[] SensorList =
        [
            new() { Id = "speed", Unit = "rpm", Min = 0, Max = 3000, Description = "Motor shaft speed (drive feedback)" },
            new() { Id = "valve_opening", Unit = "%", Min = 0, Max = 100, Description = "Discharge valve position" },
            new() { Id = "flow", Unit = "m3/h", Min = 0, Max = 80, Description = "Volumetric flow, magnetic flow meter in the discharge line" },
            new() { Id = "suction_pressure", Unit = "bar", Min = -1, Max = 3, Description = "Gauge pressure at the pump inlet" },
            new() { Id = "discharge_pressure", Unit = "bar", Min = 0, Max = 10, Description = "Gauge pressure at the pump outlet" },
            new() { Id = "motor_power", Unit = "kW", Min = 0, Max = 12, Description = "Electrical input power of drive and motor" },
            new() { Id = "motor_current", Unit = "A", Min = 0, Max = 25, Description = "Motor phase current (RMS)" },
            new() { Id = "motor_temperature", Unit = "degC", Min = -20, Max = 180, Description = "Stator winding temperature (PT100)" },
            new() { Id = "vibration_rms", Unit = "mm/s", Min = 0, Max = 50, Description = "Bearing-housing vibration velocity RMS, 10 Hz–1 kHz" },
        ];

        private readonly PumpRig _rig;
        private readonly Gaussian _noise;
        private readonly double _rateHz;
        private double _speedRpm;
        private double _valve = 1.0;
        private double _valveTarget = 1.0;
        private double _nextValveMoveS;
        private double _windingC;
        private long _startNs = long.MinValue;

        internal ProcessStream(PumpRig rig, int seed, double rateHz)
        {
            _rig = rig;
            _noise = new Gaussian(seed);
            _rateHz = rateHz;
            _windingC = rig.Hydraulics.Parameters.AmbientTemperatureC + 35;
            _speedRpm = 0.9 * rig.Hydraulics.Parameters.Curve.RatedSpeedRpm;
            _nextValveMoveS = 120;
        }

        /// <inheritdoc />
        public override string Id => "process";

        /// <inheritdoc />
        public override double RateHz => _rateHz;

        /// <inheritdoc />
        public override IReadOnlyList<SensorSpec> Sensors => SensorList;

        /// <summary>Speed set point of the drive as a fraction of rated speed at a time since start; null follows the duty cycle.</summary>
        public double? SpeedOverride { get; set; }

        /// <summary>Valve opening 0..1 to hold instead of the duty cycle, or null.</summary>
        public double? ValveOverride { get; set; }

        /// <inheritdoc />
        public override void Sample(long timeNanoseconds, Span<double> values)
        {
            var p = _rig.Hydraulics.Parameters;
            if (_startNs == long.MinValue) _startNs = timeNanoseconds;
            double t = (timeNanoseconds - _startNs) / 1e9;
            double dt = 1.0 / _rateHz;

            // Duty cycle: speed set point swings slowly; the drive ramps towards it (τ = 2 s).
            double setpoint = (SpeedOverride ?? 0.90 + 0.08 * Math.Sin(2 * Math.PI * t / 900.0)) * p.Curve.RatedSpeedRpm;
            _speedRpm += (setpoint - _speedRpm) * (1 - Math.Exp(-dt / 2.0));
            if (t >= _nextValveMoveS)
            {
                _valveTarget = 0.6 + 0.4 * _noise.Uniform.NextDouble();
                _nextValveMoveS = t + 120 + 180 * _noise.Uniform.NextDouble();
            }
            // The actuator strokes at 5 %/s.
            double target = ValveOverride ?? _valveTarget;
            _valve += Math.Clamp(target - _valve, -0.05 * dt, 0.05 * dt);

            var point = _rig.Hydraulics.Solve(_speedRpm, _valve, _rig.Condition);
            _rig.Current = point;

            // Winding temperature: first-order response to losses (ΔT ∝ losses at steady state).
            double ratedLossKw = p.MotorRatedPowerKw * (1 / p.MotorRatedEfficiency - 1);
            double steadyC = p.AmbientTemperatureC + p.MotorRatedTemperatureRiseK * point.MotorLossKw / ratedLossKw + 8 * _rig.Condition.BearingWear;
            _windingC += (steadyC - _windingC) * (1 - Math.Exp(-dt / p.MotorThermalTimeConstantS));

            // Vibration velocity: imbalance ∝ n², hydraulic excitation off the BEP, bearing wear, cavitation noise.
            double s = _speedRpm / p.Curve.RatedSpeedRpm;
            double x = point.FlowM3h / (p.Curve.BepFlowM3h * Math.Max(s, 0.05));
            double vibration = p.BaselineVibrationMmS * s * s + 0.8 * Math.Pow(Math.Abs(x - 1), 1.5) + 4.0 * _rig.Condition.BearingWear * s;
            if (point.IsCavitating) vibration += 3.0 * point.CavitationDeficit + 1.0;

            values[0] = _speedRpm + _noise.Next(0, 2);
            values[1] = Math.Clamp(_valve * 100 + _noise.Next(0, 0.1), 0, 100);
            values[2] = Math.Max(0, point.FlowM3h * (1 + _noise.Next(0, 0.004)) + (point.IsCavitating ? _noise.Next(0, 0.8) : 0));
            values[3] = point.SuctionPressureBar + _noise.Next(0, 0.003);
            values[4] = point.DischargePressureBar * (1 + _noise.Next(0, 0.002)) + (point.IsCavitating ? _noise.Next(0, 0.08) : 0);
            values[5] = point.ElectricalPowerKw * (1 + _noise.Next(0, 0.003));
            values[6] = point.CurrentA * (1 + _noise.Next(0, 0.003));
            values[7] = _windingC + _noise.Next(0, 0.05);
            values[8] = Math.Max(0.05, vibration * (1 + _noise.Next(0, 0.04)));
        }
    }
}
