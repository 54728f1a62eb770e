using System.Text.Json;
using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>The model outputs of one rig as ingest stored them (the measurements <see cref="Models"/>), read page by page
/// within the freezer's data windows and turned into one <see cref="OutputRow"/> per stored value.</summary>
internal sealed class OutputSource(RigDataReader reader, RigAddress rig, WindowSet windows)
{
    private const int Page = 5_000;

    /// <summary>The measurements ingest's condition monitoring writes (docs/telemetry.md), in the order they are copied.</summary>
    public static IReadOnlyList<Measurement> Models { get; } = [FieldlabSchema.Anomaly, FieldlabSchema.BearingHealth, FieldlabSchema.VibrationFeatures, FieldlabSchema.Energy];

    // Columns that say which point a value belongs to, not a value of it.
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "time", "site", "rig", "stream", "axis" };

    /// <summary>Every stored value of the rig's models in [from, to): by model, then time, stream, axis and field name.</summary>
    public async IAsyncEnumerable<OutputRow> ReadAsync(DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var model in Models)
        {
            await foreach (var rows in TimeGroupPager.PagesAsync(reader, rig, windows, new RigSelect(model, "*", Limit: Page), from, to, ct))
            {
                // Points of one time (several streams or axes) come in series order from InfluxDB; sort them so the bytes never depend on it.
                var points = Enumerable.Range(0, rows.Rows.Count)
                    .Select(r => (Row: r, Time: rows.TimeNanoseconds(r), Stream: rows.Text(r, "stream"), Axis: rows.Text(r, "axis")))
                    .OrderBy(p => p.Time).ThenBy(p => p.Stream, StringComparer.Ordinal).ThenBy(p => p.Axis, StringComparer.Ordinal);
                foreach (var p in points)
                {
                    // InfluxDB returns columns sorted by name: the outputs of a point come in that order.
                    for (int c = 0; c < rows.Columns.Count; c++)
                    {
                        var name = rows.Columns[c];
                        if (Keys.Contains(name)) continue;
                        var cell = rows.Rows[p.Row][c];
                        var row = cell.ValueKind switch
                        {
                            JsonValueKind.Number => new OutputRow(p.Time, rig.Rig, model.Name, p.Stream, p.Axis, name, cell.GetDouble(), null),
                            JsonValueKind.True or JsonValueKind.False => new OutputRow(p.Time, rig.Rig, model.Name, p.Stream, p.Axis, name, cell.GetBoolean() ? 1 : 0, null),
                            JsonValueKind.String => new OutputRow(p.Time, rig.Rig, model.Name, p.Stream, p.Axis, name, null, cell.GetString()),
                            _ => null,
                        };
                        if (row is not null) yield return row;
                    }
                }
            }
        }
    }
}
