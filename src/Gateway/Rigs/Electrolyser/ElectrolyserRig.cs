using Fieldlab.Gateway.Simulation;
using Fieldlab.PredictiveMaintenance.Hydrogen;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Rigs.Electrolyser;

/// <summary>A simulated PEM electrolyser demonstrator following a renewable power profile.</summary>
/// <remarks>The current set point follows a compressed "solar day" (30 minutes, between 20 % and 100 % of rated current)
/// with seeded clouds, as a green-hydrogen plant at IJmond would follow wind and sun.</remarks>
public sealed class ElectrolyserRig : ISimulatedRig
{
    /// <summary>Creates the rig.</summary>
    public ElectrolyserRig(int seed, double rateHz, ElectrolyserParameters? parameters = null)
    {
        Stack = new ElectrolyserStack(parameters ?? new ElectrolyserParameters());
        Process = new ProcessStream(this, seed, rateHz);
        Streams = [Process];
    }

    /// <inheritdoc />
    public string Kind => "electrolyser";

    /// <inheritdoc />
    public string Description => $"PEM electrolyser, {Stack.Parameters.Cells} cells × {Stack.Parameters.CellAreaCm2} cm² (simulated)";

    /// <inheritdoc />
    public IReadOnlyList<SimulatedStream> Streams { get; }

    /// <summary>The stack model.</summary>
    public ElectrolyserStack Stack { get; }

    /// <summary>The process stream.</summary>
    public ProcessStream Process { get; }

    /// <summary>Last operating point (ground truth).</summary>
    public ElectrolyserOperatingPoint Current { get; private set; }

    /// <summary>Operating hours on the stack now.</summary>
    public double OperatingHours { get; private set; }

    private double _ageingSeverity;
    private double _crossoverSeverity;
    private double _coolingSeverity;

    /// <inheritdoc />
    public IReadOnlyList<FaultKind> Faults { get; } =
    [
        new("accelerated_degradation", "Catalyst and membrane ageing speeds up: the cell voltage rises up to 50× faster"),
        new("membrane_crossover", "Thinned membrane: more hydrogen crosses over, Faraday efficiency falls by up to 8 points"),
        new("cooling_failure", "Cooling loop loses up to 90 % of its capacity: the stack runs hot"),
    ];

    /// <inheritdoc />
    public void SetFault(string fault, double severity)
    {
        severity = Math.Clamp(severity, 0, 1);
        switch (fault)
        {
            case "accelerated_degradation": _ageingSeverity = severity; break;
            case "membrane_crossover": _crossoverSeverity = severity; break;
            case "cooling_failure": _coolingSeverity = severity; break;
            default: throw new ArgumentException($"The electrolyser rig has no fault '{fault}'.", nameof(fault));
        }
    }

    /// <summary>The electrolyser's process stream.</summary>
    public sealed class ProcessStream : SimulatedStream
    {
        private static readonly SensorSpec[] SensorList =
        [
            new() { Id = "current", Unit = "A", Min = 0, Max = 120, Description = "Stack current" },
            new() { Id = "stack_voltage", Unit = "V", Min = 0, Max = 30, Description = "Stack voltage" },
            new() { Id = "cell_voltage", Unit = "V", Min = 1.2, Max = 3.0, Description = "Mean cell voltage" },
            new() { Id = "power", Unit = "kW", Min = 0, Max = 3, Description = "DC power into the stack" },
            new() { Id = "stack_temperature", Unit = "degC", Min = 0, Max = 100, Description = "Stack outlet water temperature" },
            new() { Id = "h2_flow", Unit = "Nl/min", Min = 0, Max = 12, Description = "Hydrogen production (thermal mass flow meter, normal litres)" },
            new() { Id = "water_feed", Unit = "ml/min", Min = 0, Max = 10, Description = "Demineralised water consumed" },
            new() { Id = "operating_hours", Unit = "h", Min = 0, Max = 100000, Description = "Stack operating hours (ageing clock)" },
        ];

        private readonly ElectrolyserRig _rig;
        private readonly Gaussian _noise;
        private readonly double _rateHz;
        private double _temperatureC;
        private double _cloud;
        private long _startNs = long.MinValue;

        internal ProcessStream(ElectrolyserRig rig, int seed, double rateHz)
        {
            _rig = rig;
            _noise = new Gaussian(seed);
            _rateHz = rateHz;
            _temperatureC = rig.Stack.Parameters.SetpointC;
            rig.OperatingHours = rig.AgeingHours = rig.Stack.Parameters.InitialOperatingHours;
        }

        /// <inheritdoc />
        public override string Id => "process";

        /// <inheritdoc />
        public override double RateHz => _rateHz;

        /// <inheritdoc />
        public override IReadOnlyList<SensorSpec> Sensors => SensorList;

        /// <summary>Stack current to hold instead of the renewable profile, or null.</summary>
        public double? CurrentOverride { get; set; }

        /// <inheritdoc />
        public override void Sample(long timeNanoseconds, Span<double> values)
        {
            var p = _rig.Stack.Parameters;
            if (_startNs == long.MinValue) _startNs = timeNanoseconds;
            double t = (timeNanoseconds - _startNs) / 1e9;
            double dt = 1.0 / _rateHz;
            _cloud += (0.3 * (_noise.Uniform.NextDouble() - 0.5) - _cloud) * (1 - Math.Exp(-dt / 60));
            double sun = Math.Pow(Math.Sin(Math.PI * ((t / 1800.0) % 1.0)), 2);
            double current = CurrentOverride ?? p.RatedCurrentA * Math.Clamp(0.2 + 0.8 * sun + _cloud, 0.2, 1.0);

            // Operating hours advance under current at the configured acceleration; ageing accumulates with them, faster under a fault.
            if (current > 0)
            {
                double hours = dt / 3600 * p.TimeAcceleration;
                _rig.OperatingHours += hours;
                _rig.AgeingHours += hours * (1 + 49 * _rig._ageingSeverity);
            }
            var point = _rig.Stack.Solve(current, _temperatureC, _rig.AgeingHours, 0.08 * _rig._crossoverSeverity);
            _rig.Current = point;

            double capacity = p.CoolingCapacityW * (1 - 0.9 * _rig._coolingSeverity);
            double steady = p.SetpointC + Math.Max(0, point.HeatW - capacity) / 40.0;
            _temperatureC += (steady - _temperatureC) * (1 - Math.Exp(-dt / p.ThermalTimeConstantS));

            double h2NlMin = point.HydrogenMolPerS * Electrochemistry.NormalLitresPerMole * 60;
            double waterMlMin = point.HydrogenMolPerS * 18.015 * 60 / 0.998; // one H₂O per H₂; density 0.998 g/ml
            values[0] = current * (1 + _noise.Next(0, 0.002));
            values[1] = point.StackVoltage + _noise.Next(0, 0.004);
            values[2] = point.CellVoltage + _noise.Next(0, 0.0004);
            values[3] = point.PowerW / 1000 * (1 + _noise.Next(0, 0.002));
            values[4] = _temperatureC + _noise.Next(0, 0.05);
            values[5] = h2NlMin * (1 + _noise.Next(0, 0.003));
            values[6] = waterMlMin * (1 + _noise.Next(0, 0.01));
            values[7] = _rig.OperatingHours;
        }
    }

    /// <summary>Hours of ageing the stack has accumulated (equal to <see cref="OperatingHours"/> without faults).</summary>
    public double AgeingHours { get; private set; }
}
