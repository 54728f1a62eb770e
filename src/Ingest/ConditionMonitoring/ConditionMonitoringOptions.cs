using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.PredictiveMaintenance.Signals;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>How ingest runs the condition-monitoring models live (configuration section <c>ConditionMonitoring</c>).</summary>
public sealed class ConditionMonitoringOptions : IValidatableOptions
{
    /// <summary>Run the models at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rig kinds whose scalar streams get a multivariate anomaly model.</summary>
    public List<string> ProcessKinds { get; set; } = ["pump", "motor", "electrolyser", "fuel-cell"];

    /// <summary>Rig kinds whose waveform streams get bearing diagnostics.</summary>
    public List<string> VibrationKinds { get; set; } = ["motor"];

    /// <summary>Anomaly detector for scalar streams: <c>pca-q</c> (residual of a PCA model: alarms on broken relations
    /// between sensors, not on a new operating point), <c>pca</c> (T² + Q) or <c>mset</c> (similarity to remembered
    /// states; alarms on any state the baseline did not contain).</summary>
    public string Detector { get; set; } = "pca-q";

    /// <summary>Rows of a stream that form its baseline (after start or a re-baseline).</summary>
    public int BaselineRows { get; set; } = 600;

    /// <summary>Shortest baseline in time: it must see the machine's usual operating points (valve moves, speed swings,
    /// load steps), not one minute of one of them; the baseline ends when both this and <see cref="BaselineRows"/> are
    /// reached.</summary>
    public TimeSpan BaselineTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Time after a stream's first row (or a re-baseline) before its baseline starts, so a rig still warming
    /// up is not learnt as normal: a motor winding needs about three thermal time constants (15 min for the rigs).</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Anomalous rows in a row that raise a process alert.</summary>
    public int RaiseAfterRows { get; set; } = 5;

    /// <summary>Normal rows in a row that clear it.</summary>
    public int ClearAfterRows { get; set; } = 30;

    /// <summary>Vibration windows per axis that form the bearing baseline.</summary>
    public int BaselineWindows { get; set; } = 60;

    /// <summary>Windows in a row beyond the limit that raise a bearing alert.</summary>
    public int RaiseAfterWindows { get; set; } = 3;

    /// <summary>Lowest decision limit of the bearing-defect z-scores (the baseline may set a higher one).</summary>
    public double BearingMinimumLimit { get; set; } = 6;

    /// <summary>Windows in a row within the limit that clear it.</summary>
    public int ClearAfterWindows { get; set; } = 4;

    /// <summary>Target vibration window length in seconds (rounded down to a power of two of samples).</summary>
    public double WindowSeconds { get; set; } = 0.5;

    /// <summary>Envelope band-pass, lower edge (Hz); the structural resonance band the bearing impacts excite.</summary>
    public double EnvelopeLowHz { get; set; } = 2000;

    /// <summary>Envelope band-pass, upper edge (Hz); lowered to 0.45 × the sample rate when above it.</summary>
    public double EnvelopeHighHz { get; set; } = 5000;

    /// <summary>Monitored bearing: rolling elements.</summary>
    public int BearingBalls { get; set; } = BearingGeometry.Skf6205.Balls;

    /// <summary>Monitored bearing: ball diameter, mm.</summary>
    public double BearingBallDiameterMm { get; set; } = BearingGeometry.Skf6205.BallDiameterMm;

    /// <summary>Monitored bearing: pitch diameter, mm.</summary>
    public double BearingPitchDiameterMm { get; set; } = BearingGeometry.Skf6205.PitchDiameterMm;

    /// <summary>Sensor of the rig's scalar stream that gives the shaft speed in rpm.</summary>
    public string SpeedSensor { get; set; } = "speed";

    /// <summary>Machine class for the ISO 20816 severity zone.</summary>
    public MachineClass MachineClass { get; set; } = MachineClass.SmallUpTo15kW;

    /// <summary>Inputs waiting for the models; beyond this the newest are dropped and counted (models are analytics:
    /// storage never waits for them).</summary>
    public int QueueCapacity { get; set; } = 2000;

    /// <summary>Live energy KPIs and RUL.</summary>
    public EnergyOptions Energy { get; set; } = new();

    /// <summary>Rig kinds that get energy KPIs.</summary>
    public List<string> EnergyKinds { get; set; } = ["pump", "motor", "electrolyser", "fuel-cell"];

    /// <summary>The monitored bearing's geometry.</summary>
    public BearingGeometry Bearing => new(BearingBalls, BearingBallDiameterMm, BearingPitchDiameterMm);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Detector is not ("pca-q" or "pca" or "mset")) yield return $"Detector: 'pca-q', 'pca' or 'mset' (was '{Detector}')";
        if (BaselineRows < 50) yield return "BaselineRows: at least 50";
        if (SettleTime < TimeSpan.Zero) yield return "SettleTime: ≥ 0";
        if (BaselineTime < TimeSpan.Zero) yield return "BaselineTime: ≥ 0";
        if (RaiseAfterRows < 1 || ClearAfterRows < 1) yield return "RaiseAfterRows, ClearAfterRows: at least 1";
        if (BaselineWindows < 3) yield return "BaselineWindows: at least 3";
        if (RaiseAfterWindows < 1 || ClearAfterWindows < 1) yield return "RaiseAfterWindows, ClearAfterWindows: at least 1";
        if (!(WindowSeconds is > 0.01 and <= 10)) yield return "WindowSeconds: between 0.01 and 10";
        if (!(EnvelopeLowHz > 0 && EnvelopeLowHz < EnvelopeHighHz)) yield return "EnvelopeLowHz, EnvelopeHighHz: 0 < low < high";
        if (BearingBalls < 3 || !(BearingBallDiameterMm > 0) || !(BearingPitchDiameterMm > BearingBallDiameterMm)) yield return "Bearing*: at least 3 balls, 0 < ball diameter < pitch diameter";
        if (QueueCapacity < 10) yield return "QueueCapacity: at least 10";
        foreach (var problem in Energy.Validate()) yield return problem;
    }
}
