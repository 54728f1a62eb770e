using System.Globalization;
using Fieldlab.PredictiveMaintenance.Anomaly;
using Fieldlab.PredictiveMaintenance.Energy;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>Energy KPIs, an ISO 50006 energy baseline and (for hydrogen stacks) the remaining useful life of one rig's
/// scalar stream, computed per period as rows arrive; alerts when efficiency falls below the baseline or the RUL falls
/// below its horizon.</summary>
/// <remarks>Points: measurement <c>energy</c>, tags <c>rig</c>, <c>site</c>, <c>stream</c>, time = period start; fields by
/// rig kind (docs/telemetry.md): pump <c>hydraulic_kw</c>, <c>wire_to_water</c>, <c>specific_energy_kwh_m3</c> and,
/// once its history spans the BEP, <c>bep_flow_m3h</c>, <c>bep_efficiency</c>, <c>distance_from_bep</c>,
/// <c>savings_kwh_per_year</c>, <c>savings_cost_per_year</c>; motor <c>input_kw</c>, <c>load</c>, <c>efficiency</c>,
/// <c>ie_class</c>; electrolyser <c>sec_kwh_per_kg</c>, <c>voltage_efficiency_hhv</c>, <c>faraday_efficiency</c>;
/// fuel cell <c>efficiency_lhv</c>, <c>efficiency_hhv</c>; stacks also <c>drift_uv_per_h</c> and <c>rul_h</c>; every
/// kind <c>energy_kw</c>, and after the baseline <c>expected_kw</c>, <c>enpi</c>, <c>cusum_kwh</c>.</remarks>
internal sealed class EnergyModel
{
    private readonly RigAddress _rig;
    private readonly string _kind, _stream;
    private readonly EnergyOptions _options;
    private readonly Dictionary<string, int> _column;
    private readonly double[] _sums;
    private int _count;
    private long _periodStart = long.MinValue;
    private readonly List<(double[] Drivers, double Energy)> _baselineRows = [];
    private EnergyBaseline? _baseline;
    private readonly AlertSwitch _efficiencyAlert, _rulAlert;
    private readonly List<PumpDutyPoint> _duty = [];
    private PumpPerformance? _pump;
    private readonly List<(double FlowM3h, double HeadM)> _openLine = [];
    private SystemCurve? _system;
    private int _periods;
    private readonly List<(double Hours, double CurrentA, double TemperatureC, double CellVoltage)> _stack = [];
    private double? _referenceVoltage, _referenceCurrent, _referenceTemperature;

    public EnergyModel(RigAddress rig, string kind, string stream, string[] sensors, EnergyOptions options)
    {
        Sensors = sensors;
        _rig = rig;
        _kind = kind;
        _stream = stream;
        _options = options;
        _column = sensors.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        _sums = new double[sensors.Length];
        _efficiencyAlert = new AlertSwitch($"efficiency-{stream}", "energy", options.AlertPeriods, options.AlertPeriods);
        _rulAlert = new AlertSwitch($"rul-{stream}", "rul", options.AlertPeriods, options.AlertPeriods);
    }

    /// <summary>The stream's sensors, in row order, this model was built for.</summary>
    public string[] Sensors { get; }

    /// <summary>Sensors each kind needs in one stream for its KPIs.</summary>
    public static string[]? Required(string kind) => kind switch
    {
        "pump" => ["speed", "flow", "suction_pressure", "discharge_pressure", "motor_power"],
        "motor" => ["supply_frequency", "voltage", "current", "power_factor", "speed", "winding_temperature"],
        "electrolyser" => ["current", "cell_voltage", "power", "h2_flow", "operating_hours"],
        "fuel-cell" => ["current", "cell_voltage", "power", "h2_flow", "operating_hours"],
        _ => null,
    };

    public string State => _baseline is null ? "baselining" : _efficiencyAlert.Raised || _rulAlert.Raised ? "alarm" : "monitoring";

    public int BaselineProgress => _baseline is null ? _baselineRows.Count : _options.BaselinePeriods;

    public void Rebaseline()
    {
        _baselineRows.Clear();
        _baseline = null;
        _efficiencyAlert.Reset();
        _rulAlert.Reset();
    }

    public void Observe(ScalarRows rows, LineProtocolWriter points, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        long period = (long)_options.Period.TotalNanoseconds;
        for (int r = 0; r < rows.Rows.Length; r++)
        {
            var row = rows.Rows[r];
            if (Required(_kind)!.Any(s => !double.IsFinite(row[_column[s]]))) continue;
            long t = rows.Times[r];
            if (_periodStart == long.MinValue) _periodStart = t;
            if (t >= _periodStart + period)
            {
                if (_count > 0) ClosePeriod(points, alerts);
                _periodStart = t - (t - _periodStart) % period;
            }
            for (int j = 0; j < row.Length; j++) _sums[j] += double.IsFinite(row[j]) ? row[j] : 0;
            _count++;
            if (_kind == "pump" && _duty.Count < 50_000)
            {
                double rise = row[_column["discharge_pressure"]] - row[_column["suction_pressure"]];
                _duty.Add(new PumpDutyPoint(row[_column["flow"]], rise, row[_column["motor_power"]], row[_column["speed"]]));
                if (_column.TryGetValue("valve_opening", out int valve) && row[valve] >= 99 && _openLine.Count < 50_000) _openLine.Add((row[_column["flow"]], PumpPerformance.HeadM(rise)));
            }
        }
    }

    private static readonly Measurement Output = FieldlabSchema.Energy;

    private double Mean(string sensor) => _sums[_column[sensor]] / _count;

    private void ClosePeriod(LineProtocolWriter points, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        points.BeginPoint(Output.LineName).Tag(FieldlabSchema.Tags.Rig, _rig.Rig).Tag(FieldlabSchema.Tags.Site, _rig.Site).Tag(FieldlabSchema.Tags.Stream, _stream);
        var (energy, drivers) = _kind switch
        {
            "pump" => Pump(points),
            "motor" => Motor(points),
            "electrolyser" => Stack(points, electrolyser: true, alerts),
            _ => Stack(points, electrolyser: false, alerts),
        };
        points.Field(Output.FieldKey("energy_kw"), energy);
        if (_baseline is null)
        {
            _baselineRows.Add((drivers, energy));
            if (_baselineRows.Count >= _options.BaselinePeriods)
                _baseline = EnergyBaseline.Fit([.. drivers.Select((_, i) => $"driver{i}")], [.. _baselineRows.Select(b => b.Drivers)], [.. _baselineRows.Select(b => b.Energy)]);
        }
        else
        {
            double expected = _baseline.Expected(drivers);
            double enpi = _baseline.Observe(drivers, energy);
            double limit = 1 + _options.EfficiencyAlertFraction;
            points.Field(Output.FieldKey("expected_kw"), expected).Field(Output.FieldKey("enpi"), enpi).Field(Output.FieldKey("cusum_kwh"), _baseline.Cusum * _options.Period.TotalHours);
            var alert = _efficiencyAlert.Update(enpi > limit, _periodStart, new AnomalyScore(enpi, limit, []), raised => (
                raised
                    ? string.Create(CultureInfo.InvariantCulture, $"{_rig} uses {100 * (enpi - 1):F1} % more energy than its baseline predicts for the same work (EnPI {enpi:F3}; CUSUM {_baseline.Cusum * _options.Period.TotalHours:F2} kWh).")
                    : $"{_rig} is back within {100 * _options.EfficiencyAlertFraction:F0} % of its energy baseline.",
                null, null));
            if (alert is not null) alerts.Add((_rig, alert));
        }
        points.EndPoint(_periodStart);
        Array.Clear(_sums);
        _count = 0;
        _periods++;
    }

    private (double Energy, double[] Drivers) Pump(LineProtocolWriter points)
    {
        double flow = Mean("flow"), rise = Mean("discharge_pressure") - Mean("suction_pressure"), power = Mean("motor_power"), speed = Mean("speed");
        double hydraulic = PumpPerformance.HydraulicPowerKw(flow, rise);
        points.Field(Output.FieldKey("hydraulic_kw"), hydraulic).Field(Output.FieldKey("wire_to_water"), power > 0 ? hydraulic / power : 0);
        if (flow > 0) points.Field(Output.FieldKey("specific_energy_kwh_m3"), PumpPerformance.SpecificEnergyKwhPerM3(power, flow));
        // Refit the curves now and then; a history that does not yet span the BEP simply has no BEP yet.
        if (_periods % 30 == 0 && _duty.Count >= 100)
        {
            try { _pump = PumpPerformance.Fit(_duty, _options.PumpRatedSpeedRpm); }
            catch (ArgumentException) { _pump = null; }
            try { _system = SystemCurve.Fit(_openLine); }
            catch (ArgumentException) { _system = null; }
        }
        if (_pump is not null && flow > 0)
        {
            var saving = _pump.SavingsAtBep(flow, rise, power, _options.PumpHoursPerYear, _options.PricePerKwh);
            points.Field(Output.FieldKey("bep_flow_m3h"), _pump.BepFlowM3h).Field(Output.FieldKey("bep_efficiency"), _pump.BepEfficiency).Field(Output.FieldKey("distance_from_bep"), _pump.DistanceFromBep(flow, speed))
                .Field(Output.FieldKey("savings_kwh_per_year"), saving.KwhPerYear).Field(Output.FieldKey("savings_cost_per_year"), saving.CostPerYear);
            // Throttled: what slowing down with the valve open would save (needs the open line's system curve).
            if (_system is not null && _column.ContainsKey("valve_opening") && Mean("valve_opening") < 95 && _pump.SavingsBySpeed(flow, _system, power, _options.PumpHoursPerYear, _options.PricePerKwh) is { } slower)
                points.Field(Output.FieldKey("speed_ratio_open_valve"), slower.SpeedRatio).Field(Output.FieldKey("speed_savings_kwh_per_year"), slower.KwhPerYear).Field(Output.FieldKey("speed_savings_cost_per_year"), slower.CostPerYear);
        }
        return (power, [hydraulic, Math.Pow(speed / _options.PumpRatedSpeedRpm, 3)]);
    }

    private (double Energy, double[] Drivers) Motor(LineProtocolWriter points)
    {
        double input = MotorEfficiency.InputKw(Mean("voltage"), Mean("current"), Mean("power_factor"));
        var (load, output, efficiency) = MotorEfficiency.BySlip(Mean("speed"), Mean("supply_frequency"), _options.MotorPoles, _options.MotorRatedSpeedRpm,
            _options.MotorRatedKw, input, Mean("winding_temperature"), _options.MotorRatedWindingTemperatureC);
        points.Field(Output.FieldKey("input_kw"), input).Field(Output.FieldKey("load"), load).Field(Output.FieldKey("efficiency"), efficiency)
            .Field(Output.FieldKey("ie_class"), MotorEfficiency.ClassOf(efficiency, _options.MotorRatedKw).ToString());
        // The motor's useful work: measured torque × speed when the rig has a torque sensor, else the slip estimate.
        double mechanical = _column.ContainsKey("torque") ? Mean("torque") * Mean("speed") * 2 * Math.PI / 60 / 1000 : output;
        return (input, [mechanical]);
    }

    private (double Energy, double[] Drivers) Stack(LineProtocolWriter points, bool electrolyser, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        double current = Mean("current"), cell = Mean("cell_voltage"), power = Mean("power"), h2 = Mean("h2_flow"), hours = Mean("operating_hours");
        double energy;
        double[] drivers;
        if (electrolyser)
        {
            points.Field(Output.FieldKey("sec_kwh_per_kg"), HydrogenKpis.SpecificEnergyKwhPerKg(power, h2)).Field(Output.FieldKey("voltage_efficiency_hhv"), HydrogenKpis.VoltageEfficiencyHhv(cell));
            if (_column.TryGetValue("stack_voltage", out var sv) && current > 0)
                points.Field(Output.FieldKey("faraday_efficiency"), HydrogenKpis.FaradayEfficiency(h2, current, HydrogenKpis.Cells(_sums[sv] / _count, cell)));
            // Power ≈ N·I·(U₀ + R·I) with I ∝ hydrogen made: quadratic in the driver, not linear (ISO 50006 allows any
            // regression form that the physics supports).
            (energy, drivers) = (power, [h2, h2 * h2]);
        }
        else
        {
            var (lhv, hhv) = HydrogenKpis.FuelCellEfficiency(power, h2);
            if (double.IsFinite(lhv)) points.Field(Output.FieldKey("efficiency_lhv"), lhv).Field(Output.FieldKey("efficiency_hhv"), hhv);
            double chemical = HydrogenKpis.MolesPerSecond(h2) * Fieldlab.PredictiveMaintenance.Hydrogen.Electrochemistry.LhvJoulesPerMole / 1000;
            (energy, drivers) = (chemical, [power, power * power]);
        }
        if (current <= 0) return (energy, drivers);
        _referenceVoltage ??= cell;
        _referenceCurrent ??= current;
        double temperature = _column.ContainsKey("stack_temperature") ? Mean("stack_temperature") : double.NaN;
        _stack.Add((hours, current, temperature, cell));
        _stack.RemoveAll(s => s.Hours < hours - _options.DriftWindowHours);
        if (_stack.Count >= 10 && _stack[^1].Hours - _stack[0].Hours >= _options.MinimumDriftSpanHours)
        {
            double perHour;
            try { perHour = HydrogenKpis.VoltageTrend(_stack).VoltsPerHour; }
            catch (ArgumentException) { return (energy, drivers); } // load moved with time: no drift to report yet
            points.Field(Output.FieldKey("drift_uv_per_h"), perHour * 1e6);
            // End of life: the voltage at the reference current and temperature has moved by the configured fraction.
            _referenceTemperature ??= temperature;
            double now = HydrogenKpis.VoltageAt(_stack, hours, _referenceCurrent.Value, _referenceTemperature.Value);
            double endOfLife = _referenceVoltage.Value * (electrolyser ? 1 + _options.StackEndOfLifeFraction : 1 - _options.StackEndOfLifeFraction);
            double rul = (endOfLife - now) / perHour;
            if (double.IsFinite(rul) && rul >= 0 && (electrolyser ? perHour > 0 : perHour < 0))
            {
                points.Field(Output.FieldKey("rul_h"), rul);
                var alert = _rulAlert.Update(rul < _options.RulHorizonHours, _periodStart, new AnomalyScore(rul, _options.RulHorizonHours, []), raised => (
                    raised
                        ? string.Create(CultureInfo.InvariantCulture, $"{_rig}: about {rul:F0} operating hours left until {100 * _options.StackEndOfLifeFraction:F0} % voltage {(electrolyser ? "increase" : "loss")} (drift {perHour * 1e6:F1} µV/h per cell).")
                        : $"{_rig}: remaining useful life is back above {_options.RulHorizonHours:F0} h.",
                    null, null));
                if (alert is not null) alerts.Add((_rig, alert));
            }
        }
        return (energy, drivers);
    }
}
