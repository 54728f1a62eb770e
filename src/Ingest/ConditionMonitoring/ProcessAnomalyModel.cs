using System.Globalization;
using Fieldlab.PredictiveMaintenance.Anomaly;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>The multivariate anomaly model of one scalar stream of one rig: settles, learns a baseline from the rows
/// that follow, then scores every row, writes the score and raises/clears an alert naming the sensors behind it.</summary>
/// <remarks>Points: measurement <c>anomaly</c>, tags <c>rig</c>, <c>site</c>, <c>stream</c>; fields <c>score</c>,
/// <c>limit</c>, <c>anomalous</c> (this row beyond the limit), <c>alarm</c> (the alert's state), <c>top_sensors</c>
/// (comma-separated, largest share first) and <c>share_{sensor}</c> per sensor.</remarks>
internal sealed class ProcessAnomalyModel(RigAddress rig, string stream, ConditionMonitoringOptions options)
{
    private readonly List<double[]> _baseline = [];
    private readonly AlertSwitch _alert = new($"anomaly-{stream}", "anomaly", options.RaiseAfterRows, options.ClearAfterRows);
    private string[]? _sensors;
    private IRowDetector? _detector;
    private long _firstNs = long.MinValue, _baselineStartNs = long.MinValue;
    private int[] _used = [];
    private string[] _usedNames = [];

    public string Stream => stream;

    public string State => _detector is not null ? (_alert.Raised ? "alarm" : "monitoring") : _baseline.Count == 0 ? "settling" : "baselining";

    public int BaselineProgress => _detector is not null ? options.BaselineRows : _baseline.Count;

    public void Rebaseline()
    {
        _baseline.Clear();
        _detector = null;
        _sensors = null;
        _firstNs = long.MinValue;
        _baselineStartNs = long.MinValue;
        _alert.Reset();
    }

    public void Observe(ScalarRows rows, LineProtocolWriter points, List<(RigAddress Rig, RigAlert Alert)> alerts)
    {
        if (_sensors is null || !_sensors.SequenceEqual(rows.Sensors))
        {
            // A stream whose sensors change (new gateway config) needs a new baseline.
            if (_sensors is not null) Rebaseline();
            _sensors = rows.Sensors;
        }
        for (int r = 0; r < rows.Rows.Length; r++)
        {
            var row = rows.Rows[r];
            if (row.Any(v => !double.IsFinite(v))) continue; // a row missing a sensor cannot be scored
            if (_firstNs == long.MinValue) _firstNs = rows.Times[r];
            if (rows.Times[r] - _firstNs < (long)options.SettleTime.TotalNanoseconds) continue;
            if (_detector is null)
            {
                if (_baselineStartNs == long.MinValue) _baselineStartNs = rows.Times[r];
                _baseline.Add(row);
                // A long baseline is thinned (every other row) rather than grown without bound.
                if (_baseline.Count > 20_000) for (int k = _baseline.Count - 1; k >= 0; k -= 2) _baseline.RemoveAt(k);
                if (_baseline.Count >= options.BaselineRows && rows.Times[r] - _baselineStartNs >= (long)options.BaselineTime.TotalNanoseconds)
                {
                    // Counters (operating hours, energy meters) only ever grow: every later row would be "new".
                    _used = [.. Enumerable.Range(0, _sensors.Length).Where(j => !IsCounter(j))];
                    _usedNames = [.. _used.Select(j => _sensors[j])];
                    if (_used.Length == 0) { _baseline.Clear(); _baselineStartNs = long.MinValue; continue; }
                    var baseline = Baseline.Fit(_usedNames, [.. _baseline.Select(Project)]);
                    _detector = options.Detector switch
                    {
                        "pca" => new PcaDetector(baseline),
                        "mset" => new MsetDetector(baseline),
                        _ => new PcaDetector(baseline, residualOnly: true),
                    };
                    _baseline.Clear();
                }
                continue;
            }
            var score = _detector.Score(Project(row));
            var top = score.TopSensors(_usedNames, 3).ToList();
            var alert = _alert.Update(score.IsAnomalous, rows.Times[r], score, raised => (
                raised
                    ? $"Stream '{stream}' of {rig} has left its baseline; most different: {string.Join(", ", top.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Sensor} ({t.Share:P0})")))}."
                    : $"Stream '{stream}' of {rig} is back within its baseline.",
                null,
                raised ? top.Select(t => t.Sensor).ToList() : null));
            if (alert is not null) alerts.Add((rig, alert));
            Write(points, rows.Times[r], score, top);
        }
    }

    private double[] Project(double[] row) => [.. _used.Select(j => row[j])];

    // Never decreasing over the whole baseline while increasing overall: a counter, not a process variable (a noisy
    // measurement always steps down somewhere in hundreds of rows).
    private bool IsCounter(int j)
    {
        for (int k = 1; k < _baseline.Count; k++) if (_baseline[k][j] < _baseline[k - 1][j]) return false;
        return _baseline[^1][j] > _baseline[0][j];
    }

    private static readonly Measurement Output = FieldlabSchema.Anomaly;

    private void Write(LineProtocolWriter points, long timeNs, AnomalyScore score, List<(string Sensor, double Share)> top)
    {
        points.BeginPoint(Output.LineName).Tag(FieldlabSchema.Tags.Rig, rig.Rig).Tag(FieldlabSchema.Tags.Site, rig.Site).Tag(FieldlabSchema.Tags.Stream, stream)
            .Field(Output.FieldKey("score"), score.Score).Field(Output.FieldKey("limit"), score.Limit).Field(Output.FieldKey("anomalous"), score.IsAnomalous).Field(Output.FieldKey("alarm"), _alert.Raised)
            .Field(Output.FieldKey("top_sensors"), string.Join(',', top.Select(t => t.Sensor)));
        double total = score.Contributions.Sum(Math.Abs);
        for (int j = 0; j < _usedNames.Length; j++) points.Field(Output.FieldKey("share_" + _usedNames[j]), total > 0 ? Math.Abs(score.Contributions[j]) / total : 0);
        points.EndPoint(timeNs);
    }
}
