using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Rigs.Motor;

/// <summary>A simulated induction motor on a load bench (dynamometer): a process stream of electrical, mechanical and
/// thermal quantities and a high-rate vibration waveform at the drive-end bearing.</summary>
/// <remarks>The dynamometer runs a deterministic load cycle (55–95 % of rated torque over 20 minutes with seeded steps),
/// so the motor's slip, current and temperature keep moving.</remarks>
public sealed class MotorRig : ISimulatedRig
{
    /// <summary>Creates the rig.</summary>
    public MotorRig(int seed, double processRateHz, double vibrationRateHz, int vibrationAxes, InductionMotorParameters? parameters = null)
    {
        Motor = new InductionMotor(parameters ?? new InductionMotorParameters());
        Process = new ProcessStream(this, seed, processRateHz);
        Vibration = new MotorVibration(() => Current.ShaftHz > 0 ? Current.ShaftHz : Motor.Parameters.SynchronousHz * (1 - Motor.Parameters.RatedSlip),
            Condition, Motor.Parameters.Bearing, Motor.Parameters.SupplyFrequencyHz, vibrationAxes, vibrationRateHz, seed + 1);
        Streams = [Process];
        Waveforms = [Vibration];
    }

    /// <inheritdoc />
    public string Kind => "motor";

    /// <inheritdoc />
    public string Description => "Induction motor 5.5 kW 4-pole IE3 on a load bench, SKF 6205 drive-end bearing (simulated)";

    /// <inheritdoc />
    public IReadOnlyList<SimulatedStream> Streams { get; }

    /// <inheritdoc />
    public IReadOnlyList<SimulatedWaveform> Waveforms { get; }

    /// <summary>The motor model.</summary>
    public InductionMotor Motor { get; }

    /// <summary>Health; faults write here.</summary>
    public MotorCondition Condition { get; } = new();

    /// <summary>The process stream.</summary>
    public ProcessStream Process { get; }

    /// <summary>The vibration waveform.</summary>
    public MotorVibration Vibration { get; }

    /// <summary>Last operating point.</summary>
    public MotorOperatingPoint Current { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<FaultKind> Faults { get; } =
    [
        new("imbalance", "Rotor imbalance: the 1× running-speed vibration grows (×speed²)"),
        new("misalignment", "Shaft misalignment: the 2× component grows, strongest axially"),
        new("bearing_outer", "Outer-race spall on the drive-end bearing: impacts at BPFO"),
        new("bearing_inner", "Inner-race spall: impacts at BPFI, modulated at shaft speed"),
        new("bearing_ball", "Ball spall: impacts at BSF, modulated at the cage frequency"),
    ];

    /// <inheritdoc />
    public void SetFault(string fault, double severity)
    {
        severity = Math.Clamp(severity, 0, 1);
        switch (fault)
        {
            case "imbalance": Condition.Imbalance = severity; break;
            case "misalignment": Condition.Misalignment = severity; break;
            case "bearing_outer": Condition.OuterRace = severity; break;
            case "bearing_inner": Condition.InnerRace = severity; break;
            case "bearing_ball": Condition.Ball = severity; break;
            default: throw new ArgumentException($"The motor rig has no fault '{fault}'.", nameof(fault));
        }
    }

    /// <summary>The motor's process stream.</summary>
    public sealed class ProcessStream : SimulatedStream
    {
        private static readonly SensorSpec[] SensorList =
        [
            new() { Id = "supply_frequency", Unit = "Hz", Min = 45, Max = 55, Description = "Supply frequency" },
            new() { Id = "voltage", Unit = "V", Min = 0, Max = 460, Description = "Line-to-line voltage (RMS)" },
            new() { Id = "current", Unit = "A", Min = 0, Max = 30, Description = "Phase current (RMS)" },
            new() { Id = "power_factor", Unit = "1", Min = 0, Max = 1, Description = "Displacement power factor" },
            new() { Id = "power", Unit = "kW", Min = 0, Max = 10, Description = "Electrical input power" },
            new() { Id = "speed", Unit = "rpm", Min = 0, Max = 1600, Description = "Shaft speed (encoder)" },
            new() { Id = "torque", Unit = "N.m", Min = 0, Max = 80, Description = "Shaft torque (dynamometer)" },
            new() { Id = "winding_temperature", Unit = "degC", Min = -20, Max = 180, Description = "Stator winding temperature (PT100)" },
            new() { Id = "bearing_temperature", Unit = "degC", Min = -20, Max = 150, Description = "Drive-end bearing temperature" },
            new() { Id = "vibration_rms", Unit = "m/s2", Min = 0, Max = 100, Description = "Overall acceleration RMS, drive end, horizontal" },
        ];

        private readonly MotorRig _rig;
        private readonly Gaussian _noise;
        private readonly double _rateHz;
        private double _windingC;
        private double _bearingC;
        private double _loadStep;
        private double _nextStepS = 300;
        private long _startNs = long.MinValue;

        internal ProcessStream(MotorRig rig, int seed, double rateHz)
        {
            _rig = rig;
            _noise = new Gaussian(seed);
            _rateHz = rateHz;
            var p = rig.Motor.Parameters;
            _windingC = p.AmbientTemperatureC + 0.5 * p.RatedTemperatureRiseK;
            _bearingC = p.AmbientTemperatureC + 15;
        }

        /// <inheritdoc />
        public override string Id => "process";

        /// <inheritdoc />
        public override double RateHz => _rateHz;

        /// <inheritdoc />
        public override IReadOnlyList<SensorSpec> Sensors => SensorList;

        /// <summary>Load (fraction of rated torque) to hold instead of the cycle, or null.</summary>
        public double? LoadOverride { get; set; }

        /// <inheritdoc />
        public override void Sample(long timeNanoseconds, Span<double> values)
        {
            var p = _rig.Motor.Parameters;
            if (_startNs == long.MinValue) _startNs = timeNanoseconds;
            double t = (timeNanoseconds - _startNs) / 1e9;
            double dt = 1.0 / _rateHz;
            if (t >= _nextStepS)
            {
                _loadStep = 0.1 * (_noise.Uniform.NextDouble() - 0.5);
                _nextStepS = t + 240 + 240 * _noise.Uniform.NextDouble();
            }
            double load = LoadOverride ?? Math.Clamp(0.75 + 0.2 * Math.Sin(2 * Math.PI * t / 1200) + _loadStep, 0.3, 1.1);
            var c = _rig.Condition;
            double friction = 1 + 0.5 * (c.OuterRace + c.InnerRace + c.Ball);
            var point = _rig.Motor.Solve(load, _windingC, friction);
            _rig.Current = point;

            // First-order thermal models: winding heats with losses (τ from the nameplate), the bearing with friction.
            double ratedLoss = p.RatedPowerKw * (1 / p.RatedEfficiency - 1);
            _windingC += (p.AmbientTemperatureC + p.RatedTemperatureRiseK * point.LossKw / ratedLoss - _windingC) * (1 - Math.Exp(-dt / p.ThermalTimeConstantS));
            double bearingSteady = p.AmbientTemperatureC + 15 + 0.2 * (_windingC - p.AmbientTemperatureC) + 25 * (c.OuterRace + c.InnerRace + c.Ball) + 10 * c.Misalignment;
            _bearingC += (bearingSteady - _bearingC) * (1 - Math.Exp(-dt / 600));

            double fr = point.ShaftHz;
            double oneX = MotorVibration.OneTimesAmplitude(c.Imbalance, fr);
            double twoX = (0.03 + 0.6 * c.Misalignment) * Math.Pow(fr / 25.0, 2);
            // RMS of the waveform's components: sines contribute A/√2; the bearing bursts ~0.25·A·√(rate·τ).
            double bearingRms = 3.0 * Math.Sqrt((c.OuterRace * c.OuterRace + c.InnerRace * c.InnerRace + 0.7 * c.Ball * c.Ball) * 0.0006 * 120) / 2;
            double overall = Math.Sqrt(oneX * oneX / 2 + 0.36 * twoX * twoX / 2 + 0.0008 + 0.0025 + bearingRms * bearingRms);

            double torque = p.RatedPowerKw * 1000 / (2 * Math.PI * p.SynchronousHz * (1 - p.RatedSlip)) * load;
            values[0] = p.SupplyFrequencyHz + _noise.Next(0, 0.01);
            values[1] = p.RatedVoltageV * (1 + _noise.Next(0, 0.002));
            values[2] = point.CurrentA * (1 + _noise.Next(0, 0.003));
            values[3] = Math.Clamp(point.PowerFactor + _noise.Next(0, 0.002), 0, 1);
            values[4] = point.InputKw * (1 + _noise.Next(0, 0.003));
            values[5] = fr * 60 + _noise.Next(0, 0.3);
            values[6] = torque * (1 + _noise.Next(0, 0.004));
            values[7] = _windingC + _noise.Next(0, 0.05);
            values[8] = _bearingC + _noise.Next(0, 0.05);
            values[9] = overall * (1 + _noise.Next(0, 0.02));
        }
    }
}
