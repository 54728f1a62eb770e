using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Datasets;

/// <summary>The labels a rig recorded itself, as far as the freezer may see them: each staged fault from the truth it
/// may read (start to clear, the severity at the start, the later steps) and each maintenance action inside its data
/// windows.</summary>
public sealed class RecordedLabels(MetadataDb db, RigDataReader reader)
{
    /// <summary>The labels of one rig in [from, to) that <paramref name="visibility"/> may see.</summary>
    public async Task<List<LabelRow>> ReadAsync(RigAddress rig, RigVisibility visibility, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var labels = new List<LabelRow>();
        var rows = await reader.ReadAsync(rig, visibility.Truth, new RigSelect(FieldlabSchema.FaultTruth, "fault, action, severity"), from, to.AddTicks(-1), ct);
        var open = new Dictionary<string, (long Start, double? Severity, List<string> Steps)>(StringComparer.Ordinal);
        for (int r = 0; r < rows.Rows.Count; r++)
        {
            long t = rows.TimeNanoseconds(r);
            string fault = rows.Text(r, "fault") ?? "", action = rows.Text(r, "action") ?? "";
            double? severity = rows.Number(r, "severity");
            if (action == "start")
            {
                if (open.Remove(fault, out var previous)) labels.Add(new LabelRow(previous.Start, t, rig.Rig, "truth", fault, previous.Severity, Steps(previous.Steps)));
                open[fault] = (t, severity, []);
            }
            else if (action == "clear")
            {
                if (open.Remove(fault, out var started)) labels.Add(new LabelRow(started.Start, t, rig.Rig, "truth", fault, started.Severity, Steps(started.Steps)));
                else labels.Add(new LabelRow(UtcTimestamp.ToNanoseconds(from), t, rig.Rig, "truth", fault, null, "started before the range"));
            }
            else if (open.TryGetValue(fault, out var running))
            {
                running.Steps.Add($"{action} {UtcTimestamp.Format(t)} severity {severity?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "?"}");
            }
        }
        foreach (var (fault, running) in open) labels.Add(new LabelRow(running.Start, null, rig.Rig, "truth", fault, running.Severity, Steps(running.Steps)));
        var actions = await db.MaintenanceActions.AsNoTracking()
            .Where(m => m.SiteId == rig.Site && m.RigId == rig.Rig && m.PerformedAt >= from.UtcDateTime && m.PerformedAt < to.UtcDateTime).ToListAsync(ct);
        foreach (var m in actions.Where(m => visibility.Data.Contains(m.PerformedAt)))
            labels.Add(new LabelRow(UtcTimestamp.ToNanoseconds(new DateTimeOffset(m.PerformedAt)), null, rig.Rig, "maintenance", m.What, null,
                m.Notes is { Length: > 0 } notes ? $"{m.Component}: {notes}" : m.Component));
        return labels;
    }

    private static string? Steps(List<string> steps) => steps.Count == 0 ? null : string.Join("; ", steps);
}
