using Fieldlab.Access.Rights;
using Fieldlab.Api.Access;
using Fieldlab.Api.Data;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Alerts;

/// <summary>Reads alerts as ingest stored them (measurement <c>alerts</c>), always through the <see cref="RigDataReader"/>
/// and so only within the windows given.</summary>
public static class StoredAlerts
{
    private const string Fields = "\"id\", \"state\", \"kind\", \"summary\", \"defect\", \"sensors\", \"score\", \"limit\"";

    /// <summary>The alerts of the rig in [from, to] within <paramref name="windows"/>, newest first, with their times in ns.</summary>
    public static async Task<IReadOnlyList<(AlertView View, long Ns)>> ReadAsync(RigDataReader reader, RigScope scope, WindowSet windows, DateTimeOffset from, DateTimeOffset to,
        int limit, CancellationToken cancellationToken)
    {
        var rows = await reader.ReadAsync(scope, windows, new RigSelect(FieldlabSchema.Alerts, Fields, Descending: true, Limit: limit), from, to, cancellationToken);
        return Views(rows);
    }

    /// <summary>The raised alert of <paramref name="occurrence"/>, if it is stored and lies within <paramref name="windows"/>.</summary>
    public static async Task<AlertView?> FindAsync(RigDataReader reader, RigScope scope, WindowSet windows, AlertOccurrence occurrence, CancellationToken cancellationToken)
    {
        if (!windows.Contains(occurrence.RaisedAt)) return null;
        // A microsecond either side: the query binds times with 100 ns; the exact nanosecond is matched here.
        var select = new RigSelect(FieldlabSchema.Alerts, Fields, Where: "\"id\" = $id", Parameters: new Dictionary<string, string> { ["id"] = occurrence.AlertId }, Limit: 100);
        var rows = await reader.ReadAsync(scope, windows, select, UtcTimestamp.FromNanoseconds(occurrence.RaisedAtNs - 1000),
            UtcTimestamp.FromNanoseconds(occurrence.RaisedAtNs + 1000), cancellationToken);
        return Views(rows).Where(a => a.Ns == occurrence.RaisedAtNs && a.View.State == "raised").Select(a => a.View).FirstOrDefault();
    }

    private static List<(AlertView View, long Ns)> Views(RigRows rows)
    {
        var alerts = new List<(AlertView View, long Ns)>(rows.Rows.Count);
        for (int r = 0; r < rows.Rows.Count; r++)
        {
            var sensors = rows.Text(r, "sensors");
            var defect = rows.Text(r, "defect");
            long ns = rows.TimeNanoseconds(r);
            alerts.Add((new AlertView(rows.Text(r, "id") ?? "", rows.Text(r, "state") ?? "", rows.Text(r, "kind") ?? "", UtcTimestamp.Format(ns),
                rows.Text(r, "summary") ?? "", string.IsNullOrEmpty(defect) ? null : defect,
                string.IsNullOrEmpty(sensors) ? [] : sensors.Split(','), rows.Number(r, "score"), rows.Number(r, "limit"), null, null), ns));
        }
        return alerts;
    }
}

/// <summary>One stored alert. A raise carries its <paramref name="Occurrence"/> key and its <paramref name="Lifecycle"/>;
/// a clear carries neither.</summary>
public sealed record AlertView(string Id, string State, string Kind, string T, string Summary, string? Defect, IReadOnlyList<string> Sensors, double? Score, double? Limit,
    string? Occurrence, AlertLifecycleView? Lifecycle);
