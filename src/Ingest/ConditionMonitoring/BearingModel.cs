using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.PredictiveMaintenance.Signals;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>Vibration diagnostics of one waveform stream of one rig: frames are gathered into windows per axis, each
/// window gets the 26 vibration features, its ISO 20816 zone and its bearing-defect scores against the rig's own
/// baseline; an alert names the defect (outer race, inner race, ball, cage) and the axis.</summary>
/// <remarks>Points: measurement <c>vibration_features</c>, tags <c>axis</c>, <c>rig</c>, <c>site</c>, <c>stream</c>,
/// the 26 feature fields (<see cref="VibrationFeatures.Names"/>), <c>velocity_rms_mm_s</c> (for m/s² or g input),
/// <c>iso_zone</c> and <c>shaft_hz</c>; measurement <c>bearing_health</c>, tags <c>rig</c>, <c>site</c>, <c>stream</c>,
/// fields <c>score</c>, <c>limit</c>, <c>alarm</c>, <c>axis</c>, <c>defect</c> and the z-score per defect
/// (<c>outer_race</c>, <c>inner_race</c>, <c>ball</c>, <c>cage</c>). A gap in the frames' sequence numbers restarts
/// the windows; until the rig's speed is known no window is analysed (the defect frequencies depend on it).</remarks>
internal sealed class BearingModel(RigAddress rig, string stream, ConditionMonitoringOptions options)
{
    private static readonly Measurement Features = FieldlabSchema.VibrationFeatures;
    private static readonly Measurement Health = FieldlabSchema.BearingHealth;

    private readonly AlertSwitch _alert = new("bearing", "bearing", options.RaiseAfterWindows, options.ClearAfterWindows);
    private readonly double[] _features = new double[VibrationFeatures.Count];
    private VibrationFeatureExtractor? _extractor;
    private double[][] _windows = [];
    private BearingDefectMonitor[] _monitors = [];
    private IReadOnlyList<string> _axes = [];
    private int _filled;
    private long _nextSeq = -1, _windowStartNs;

    public string Stream => stream;

    public string State => _monitors.Length == 0 ? "waiting for speed" : !_monitors.All(m => m.IsBaselined) ? "baselining" : _alert.Raised ? "alarm" : "monitoring";

    public int BaselineProgress => _monitors.Length == 0 ? 0 : _monitors.Min(m => m.BaselineProgress);

    public void Rebaseline()
    {
        foreach (var m in _monitors) m.Rebaseline();
        _alert.Reset();
    }

    public void Observe(WaveformFrame frame, double? shaftHz, LineProtocolWriter points, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        if (shaftHz is not > 0) return;
        Prepare(frame, shaftHz.Value);
        if (frame.Seq != _nextSeq) _filled = 0; // a gap (or the first frame): windows must be contiguous
        _nextSeq = frame.Seq + frame.Count;
        int n = _extractor!.Settings.WindowLength;
        for (int offset = 0; offset < frame.Count;)
        {
            if (_filled == 0) _windowStartNs = frame.StartNanoseconds + (long)Math.Round(offset * 1e9 / frame.SampleRateHz);
            int take = Math.Min(n - _filled, frame.Count - offset);
            for (int a = 0; a < _axes.Count; a++)
            {
                var axis = frame.Axis(a).Slice(offset, take);
                for (int i = 0; i < take; i++) _windows[a][_filled + i] = axis[i];
            }
            _filled += take;
            offset += take;
            if (_filled == n)
            {
                Analyse(frame.Unit, points, alerts);
                _filled = 0;
            }
        }
    }

    private void Prepare(WaveformFrame frame, double shaftHz)
    {
        var s = _extractor?.Settings;
        bool sameAxes = _axes.SequenceEqual(frame.Axes);
        if (s is not null && sameAxes && s.SampleRateHz == frame.SampleRateHz && Math.Abs(s.ShaftHz - shaftHz) <= 0.02 * s.ShaftHz) return;
        int length = 64;
        while (length * 2 <= options.WindowSeconds * frame.SampleRateHz) length *= 2;
        _extractor = new VibrationFeatureExtractor(VibrationFeatureSettings.ForRate(
            frame.SampleRateHz, length, shaftHz, options.Bearing.At(shaftHz), options.EnvelopeLowHz, options.EnvelopeHighHz));
        if (!sameAxes || _windows.Length == 0 || _windows[0].Length != length)
        {
            _axes = frame.Axes;
            _windows = [.. _axes.Select(_ => new double[length])];
            _filled = 0;
        }
        // The defect scores are relative to the baseline, which a new speed or layout does not invalidate when it is a
        // small drift; a new axis layout does.
        if (_monitors.Length != _axes.Count) _monitors = [.. _axes.Select(_ => new BearingDefectMonitor(options.BaselineWindows, options.BearingMinimumLimit))];
    }

    private void Analyse(string unit, LineProtocolWriter points, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        var extractor = _extractor!;
        double toMmPerS = unit switch { "m/s2" => 1000, "g" => 9.80665 * 1000, _ => double.NaN };
        int worstAxis = -1;
        PredictiveMaintenance.Anomaly.AnomalyScore? worst = null;
        for (int a = 0; a < _axes.Count; a++)
        {
            var vector = BearingFeatureVector.Describe(extractor, _windows[a], _features);
            double velocity = extractor.LastVelocityRms * toMmPerS;
            points.BeginPoint(Features.LineName).Tag(FieldlabSchema.Tags.Axis, _axes[a]).Tag(FieldlabSchema.Tags.Rig, rig.Rig).Tag(FieldlabSchema.Tags.Site, rig.Site).Tag(FieldlabSchema.Tags.Stream, stream);
            for (int i = 0; i < VibrationFeatures.Count; i++) points.Field(Features.FieldKey(VibrationFeatures.Names[i]), _features[i]);
            if (double.IsFinite(velocity))
                points.Field(Features.FieldKey("velocity_rms_mm_s"), velocity).Field(Features.FieldKey("iso_zone"), VibrationSeverity.Zone(velocity, options.MachineClass).ToString());
            points.Field(Features.FieldKey("shaft_hz"), extractor.Settings.ShaftHz).EndPoint(_windowStartNs);

            var score = _monitors[a].Observe(vector);
            if (score is not null && (worst is null || score.Score > worst.Score)) { worst = score; worstAxis = a; }
        }
        if (worst is null) return;
        int defect = Array.IndexOf(worst.Contributions, worst.Contributions.Max());
        string defectName = BearingDefectMonitor.Defects[defect];
        var f = extractor.Settings.Bearing;
        double frequency = defect switch { 0 => f.Bpfo, 1 => f.Bpfi, 2 => f.Bsf, _ => f.Ftf };
        var alert = _alert.Update(worst.IsAnomalous, _windowStartNs, worst, raised => (
            raised
                ? $"Bearing defect signature on {rig}: {defectName.Replace('_', ' ')} ({Abbreviation(defect)} {frequency:F1} Hz in the envelope spectrum, z = {worst.Score:F1} against the baseline, axis {_axes[worstAxis]})."
                : $"Bearing signatures of {rig} are back within their baseline.",
            raised ? defectName : null,
            raised ? [_axes[worstAxis]] : null));
        if (alert is not null) alerts.Add((rig, alert));
        points.BeginPoint(Health.LineName).Tag(FieldlabSchema.Tags.Rig, rig.Rig).Tag(FieldlabSchema.Tags.Site, rig.Site).Tag(FieldlabSchema.Tags.Stream, stream)
            .Field(Health.FieldKey("score"), worst.Score).Field(Health.FieldKey("limit"), worst.Limit).Field(Health.FieldKey("alarm"), _alert.Raised)
            .Field(Health.FieldKey("axis"), _axes[worstAxis]).Field(Health.FieldKey("defect"), defectName);
        for (int d = 0; d < 4; d++) points.Field(Health.FieldKey(BearingDefectMonitor.Defects[d]), worst.Contributions[d]);
        points.EndPoint(_windowStartNs);
    }

    private static string Abbreviation(int defect) => defect switch { 0 => "BPFO", 1 => "BPFI", 2 => "BSF", _ => "FTF" };
}
