using Fieldlab.PredictiveMaintenance.Anomaly;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>One alert of one rig: verdicts in, a <see cref="RigAlert"/> out when (and only when) the alarm, with its
/// hysteresis, changes state.</summary>
internal sealed class AlertSwitch(string id, string kind, int raiseAfter, int clearAfter)
{
    private readonly AlarmHysteresis _alarm = new(raiseAfter, clearAfter);

    public string Id { get; } = id;

    public bool Raised => _alarm.Raised;

    /// <summary>Feeds a verdict; <paramref name="describe"/> builds the summary, defect and sensors when an alert is due.</summary>
    public RigAlert? Update(bool anomalous, long timeNs, AnomalyScore score, Func<bool, (string Summary, string? Defect, IReadOnlyList<string>? Sensors)> describe)
    {
        if (!_alarm.Update(anomalous)) return null;
        var (summary, defect, sensors) = describe(_alarm.Raised);
        return new RigAlert
        {
            Id = Id,
            State = _alarm.Raised ? "raised" : "cleared",
            Kind = kind,
            T = UtcTimestamp.Format(timeNs),
            Summary = summary,
            Defect = defect,
            Sensors = sensors,
            Score = score.Score,
            Limit = score.Limit,
        };
    }

    public void Reset() => _alarm.Reset();
}
