using Fieldlab.Gateway.Simulation;
using Fieldlab.PredictiveMaintenance.Hydrogen;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Rigs.FuelCell;

/// <summary>A simulated PEM fuel-cell stack on an electronic load, ageing under a constant or dynamic current.</summary>
public sealed class FuelCellRig : ISimulatedRig
{
    /// <summary>Creates the rig.</summary>
    public FuelCellRig(int seed, double rateHz, FuelCellParameters? parameters = null)
    {
        Stack = new FuelCellStack(parameters ?? new FuelCellParameters());
        Process = new ProcessStream(this, seed, rateHz);
        Streams = [Process];
    }

    /// <inheritdoc />
    public string Kind => "fuel-cell";

    /// <inheritdoc />
    public string Description => $"PEM fuel cell, {Stack.Parameters.Cells} cells × {Stack.Parameters.CellAreaCm2} cm², {Stack.Parameters.Profile} load (simulated)";

    /// <inheritdoc />
    public IReadOnlyList<SimulatedStream> Streams { get; }

    /// <summary>The stack model.</summary>
    public FuelCellStack Stack { get; }

    /// <summary>The process stream.</summary>
    public ProcessStream Process { get; }

    /// <summary>Last operating point.</summary>
    public FuelCellOperatingPoint Current { get; private set; }

    /// <summary>Operating hours on the stack.</summary>
    public double OperatingHours { get; private set; }

    /// <summary>Accumulated ageing (equal to operating hours at constant load without faults).</summary>
    public double AgeingHours { get; private set; }

    private double _ageingSeverity;
    private double _flooding;
    private double _dehydration;

    /// <inheritdoc />
    public IReadOnlyList<FaultKind> Faults { get; } =
    [
        new("accelerated_ageing", "Faster catalyst and membrane degradation (up to 50×)"),
        new("flooding", "Liquid water blocks the gas diffusion layer: the limiting current falls by up to 45 %"),
        new("dehydration", "Dry membrane: the ohmic resistance grows up to 3×"),
    ];

    /// <inheritdoc />
    public void SetFault(string fault, double severity)
    {
        severity = Math.Clamp(severity, 0, 1);
        switch (fault)
        {
            case "accelerated_ageing": _ageingSeverity = severity; break;
            case "flooding": _flooding = severity; break;
            case "dehydration": _dehydration = severity; break;
            default: throw new ArgumentException($"The fuel-cell rig has no fault '{fault}'.", nameof(fault));
        }
    }

    /// <summary>The fuel cell's process stream.</summary>
    public sealed class ProcessStream : SimulatedStream
    {
        private static readonly SensorSpec[] SensorList =
        [
            new() { Id = "current", Unit = "A", Min = 0, Max = 120, Description = "Stack current (electronic load)" },
            new() { Id = "stack_voltage", Unit = "V", Min = 0, Max = 6, Description = "Stack voltage" },
            new() { Id = "cell_voltage", Unit = "V", Min = 0, Max = 1.2, Description = "Mean cell voltage" },
            new() { Id = "power", Unit = "kW", Min = 0, Max = 0.5, Description = "Electrical power out" },
            new() { Id = "stack_temperature", Unit = "degC", Min = 0, Max = 100, Description = "Cooling water outlet temperature" },
            new() { Id = "h2_flow", Unit = "Nl/min", Min = 0, Max = 10, Description = "Hydrogen consumed (normal litres)" },
            new() { Id = "operating_hours", Unit = "h", Min = 0, Max = 100000, Description = "Stack operating hours" },
        ];

        private readonly FuelCellRig _rig;
        private readonly Gaussian _noise;
        private readonly double _rateHz;
        private double _step;
        private double _nextStepS = 60;
        private long _startNs = long.MinValue;

        internal ProcessStream(FuelCellRig rig, int seed, double rateHz)
        {
            _rig = rig;
            _noise = new Gaussian(seed);
            _rateHz = rateHz;
            rig.OperatingHours = rig.AgeingHours = rig.Stack.Parameters.InitialOperatingHours;
        }

        /// <inheritdoc />
        public override string Id => "process";

        /// <inheritdoc />
        public override double RateHz => _rateHz;

        /// <inheritdoc />
        public override IReadOnlyList<SensorSpec> Sensors => SensorList;

        /// <summary>Current to hold instead of the profile, or null.</summary>
        public double? CurrentOverride { get; set; }

        /// <inheritdoc />
        public override void Sample(long timeNanoseconds, Span<double> values)
        {
            var p = _rig.Stack.Parameters;
            if (_startNs == long.MinValue) _startNs = timeNanoseconds;
            double t = (timeNanoseconds - _startNs) / 1e9;
            double dt = 1.0 / _rateHz;
            double nominal = p.NominalCurrentDensity * p.CellAreaCm2;
            bool dynamic = p.Profile == "dynamic";
            if (dynamic && t >= _nextStepS)
            {
                _step = 0.3 * (_noise.Uniform.NextDouble() - 0.5);
                _nextStepS = t + 30 + 90 * _noise.Uniform.NextDouble();
            }
            // Dynamic: ±10 % ripple at 0.05 Hz plus steps; constant: the nominal current with the load's own noise.
            double current = CurrentOverride ?? (dynamic ? nominal * (1 + 0.1 * Math.Sin(2 * Math.PI * 0.05 * t) + _step) : nominal);

            if (current > 0)
            {
                double hours = dt / 3600 * p.TimeAcceleration;
                _rig.OperatingHours += hours;
                _rig.AgeingHours += hours * (dynamic ? p.DynamicLoadAgeingFactor : 1) * (1 + 49 * _rig._ageingSeverity);
            }
            var cell = _rig.Stack.AgedCell(_rig.AgeingHours, 1 + 2 * _rig._dehydration, 1 - 0.45 * _rig._flooding);
            var point = _rig.Stack.Solve(current, cell);
            _rig.Current = point;

            values[0] = current * (1 + _noise.Next(0, 0.002));
            values[1] = point.StackVoltage + _noise.Next(0, 0.002) + (_rig._flooding > 0 ? _noise.Next(0, 0.01 * _rig._flooding) : 0);
            values[2] = point.CellVoltage + _noise.Next(0, 0.0005);
            values[3] = point.PowerW / 1000 * (1 + _noise.Next(0, 0.002));
            values[4] = p.TemperatureC + 0.5 * Math.Sin(2 * Math.PI * t / 600) + _noise.Next(0, 0.05);
            values[5] = point.HydrogenMolPerS * Electrochemistry.NormalLitresPerMole * 60 * (1 + _noise.Next(0, 0.003));
            values[6] = _rig.OperatingHours;
        }
    }
}
