using System.Globalization;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Faults;

/// <summary>Starts, steps, progresses and clears faults on a simulated rig — from the schedule in the configuration and
/// from commands — and records every change as ground truth.</summary>
/// <remarks>Progression is in severity per hour of wall-clock time, capped at 1. While a fault is active a <c>level</c>
/// event records its severity every <see cref="LevelInterval"/>, so the truth shows the whole course of the fault.
/// Thread-safe: commands arrive on the MQTT thread, time advances on the sampling loop.</remarks>
public sealed class FaultController
{
    /// <summary>How often an active fault's severity is recorded.</summary>
    public static readonly TimeSpan LevelInterval = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly ISimulatedRig _rig;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly List<(ScheduledFault Fault, bool Started, bool Cleared)> _schedule;
    private readonly Dictionary<string, Active> _active = new(StringComparer.Ordinal);
    private readonly List<TruthEvent> _pending = [];

    /// <summary>Creates the controller; the schedule is relative to now.</summary>
    public FaultController(ISimulatedRig rig, IEnumerable<ScheduledFault> schedule, TimeProvider time)
    {
        _rig = rig;
        _time = time;
        _start = time.GetUtcNow();
        _schedule = [.. schedule.Select(s => (s, false, false))];
        foreach (var (fault, _, _) in _schedule)
        {
            if (!Knows(fault.Fault)) throw new GatewayConfigException($"faults: the {rig.Kind} rig has no fault '{fault.Fault}' (it has: {string.Join(", ", rig.Faults.Select(f => f.Id))})");
        }
    }

    /// <summary>The faults active now and their severities.</summary>
    public IReadOnlyDictionary<string, double> ActiveFaults
    {
        get
        {
            lock (_gate) return _active.ToDictionary(a => a.Key, a => Math.Round(a.Value.Severity, 6));
        }
    }

    /// <summary>Applies the schedule and progression up to now and returns the truth events since the last call.</summary>
    public List<TruthEvent> Advance()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            for (int i = 0; i < _schedule.Count; i++)
            {
                var (fault, started, cleared) = _schedule[i];
                if (!started && now - _start >= fault.StartAfter)
                {
                    Start(fault.Fault, fault.Severity, fault.ProgressionPerHour, "start", "schedule", null, now);
                    started = true;
                }
                if (started && !cleared && fault.ClearAfter is { } clear && now - _start >= clear)
                {
                    Clear(fault.Fault, "schedule", null, now);
                    cleared = true;
                }
                _schedule[i] = (fault, started, cleared);
            }
            foreach (var (id, active) in _active)
            {
                double hours = (now - active.LastAdvanced).TotalHours;
                active.LastAdvanced = now;
                if (active.ProgressionPerHour > 0 && active.Severity < 1)
                {
                    active.Severity = Math.Min(1, active.Severity + active.ProgressionPerHour * hours);
                    _rig.SetFault(id, active.Severity);
                }
                if (now - active.LastRecorded >= LevelInterval)
                {
                    active.LastRecorded = now;
                    _pending.Add(Event(now, id, "level", active.Severity, active.ProgressionPerHour, active.Source, null));
                }
            }
            var events = new List<TruthEvent>(_pending);
            _pending.Clear();
            return events;
        }
    }

    /// <summary>Carries out a command (already decoded, or with its decoding error) and says what happened. A command
    /// that is unknown or malformed changes nothing.</summary>
    public CommandReply Handle(FaultCommand? command, string? decodeError)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (command is null) return Reply(null, false, $"The command is not valid JSON for cmd/fault: {decodeError}");
            string? problem = command.Action switch
            {
                null => "'action' is required: start, step or clear",
                not ("start" or "step" or "clear") => $"unknown action '{command.Action}': use start, step or clear",
                _ => null,
            };
            problem ??= string.IsNullOrEmpty(command.Fault) ? "'fault' is required"
                : !Knows(command.Fault) ? $"the {_rig.Kind} rig has no fault '{command.Fault}' (it has: {string.Join(", ", _rig.Faults.Select(f => f.Id))})"
                : null;
            if (problem is null && command.Severity is { } s && !(s is >= 0 and <= 1)) problem = $"'severity' must be 0..1 (was {s.ToString(CultureInfo.InvariantCulture)})";
            if (problem is null && command.ProgressionPerHour is { } r && !(r is >= 0 and <= 100)) problem = $"'progression_per_hour' must be 0..100 (was {r.ToString(CultureInfo.InvariantCulture)})";
            if (problem is null && command.Action == "start" && command.Severity is null) problem = "'severity' is required to start a fault";
            if (problem is null && command.Action == "step" && !_active.ContainsKey(command.Fault!)) problem = $"'{command.Fault}' is not active; start it first";
            if (problem is null && command.Action == "step" && command.Severity is null && command.ProgressionPerHour is null) problem = "step needs 'severity' and/or 'progression_per_hour'";
            if (problem is null && command.Action == "clear" && !_active.ContainsKey(command.Fault!)) problem = $"'{command.Fault}' is not active";
            if (problem is not null) return Reply(command.Id, false, problem);

            var fault = command.Fault!;
            switch (command.Action)
            {
                case "start":
                    Start(fault, command.Severity!.Value, command.ProgressionPerHour ?? 0, _active.ContainsKey(fault) ? "step" : "start", "command", command.Id, now);
                    return Reply(command.Id, true, $"{fault} started at severity {command.Severity.Value.ToString(CultureInfo.InvariantCulture)}");
                case "step":
                    var active = _active[fault];
                    Start(fault, command.Severity ?? active.Severity, command.ProgressionPerHour ?? active.ProgressionPerHour, "step", "command", command.Id, now);
                    return Reply(command.Id, true, $"{fault} now at severity {_active[fault].Severity.ToString(CultureInfo.InvariantCulture)}");
                default:
                    Clear(fault, "command", command.Id, now);
                    return Reply(command.Id, true, $"{fault} cleared");
            }
        }
    }

    private bool Knows(string fault) => _rig.Faults.Any(f => f.Id == fault);

    private void Start(string fault, double severity, double progression, string action, string source, string? id, DateTimeOffset now)
    {
        _active[fault] = new Active { Severity = severity, ProgressionPerHour = progression, Source = source, LastAdvanced = now, LastRecorded = now };
        _rig.SetFault(fault, severity);
        _pending.Add(Event(now, fault, action, severity, progression, source, id));
    }

    private void Clear(string fault, string source, string? id, DateTimeOffset now)
    {
        if (!_active.Remove(fault)) return;
        _rig.SetFault(fault, 0);
        _pending.Add(Event(now, fault, "clear", 0, 0, source, id));
    }

    private static TruthEvent Event(DateTimeOffset at, string fault, string action, double severity, double progression, string source, string? id) =>
        new(UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(at)), fault, action, Math.Round(severity, 6), progression, source, id);

    private CommandReply Reply(string? id, bool ok, string detail) => new(id, ok, detail, _active.ToDictionary(a => a.Key, a => Math.Round(a.Value.Severity, 6)));

    private sealed class Active
    {
        public double Severity { get; set; }
        public double ProgressionPerHour { get; set; }
        public string Source { get; set; } = "";
        public DateTimeOffset LastAdvanced { get; set; }
        public DateTimeOffset LastRecorded { get; set; }
    }
}
