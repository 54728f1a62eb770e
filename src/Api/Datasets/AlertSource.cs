using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>The alerts of one rig as ingest stored them (measurement <c>alerts</c>), read page by page within the
/// freezer's data windows.</summary>
internal sealed class AlertSource(RigDataReader reader, RigAddress rig, WindowSet windows)
{
    private const int Page = 5_000;
    private const string Fields = "\"id\", \"state\", \"kind\", \"summary\", \"defect\", \"sensors\", \"score\", \"limit\"";

    /// <summary>The rig's alerts in [from, to), by time, then id.</summary>
    public async IAsyncEnumerable<AlertRow> ReadAsync(DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var rows in TimeGroupPager.PagesAsync(reader, rig, windows, new RigSelect(FieldlabSchema.Alerts, Fields, Limit: Page), from, to, ct))
        {
            var alerts = Enumerable.Range(0, rows.Rows.Count).Select(r => new AlertRow(rows.TimeNanoseconds(r), rig.Rig, rows.Text(r, "id") ?? "", rows.Text(r, "state") ?? "",
                rows.Text(r, "kind") ?? "", rows.Text(r, "summary") ?? "", Empty(rows.Text(r, "defect")), Empty(rows.Text(r, "sensors")), rows.Number(r, "score"), rows.Number(r, "limit")));
            foreach (var alert in alerts.OrderBy(a => a.TimeNs).ThenBy(a => a.Id, StringComparer.Ordinal)) yield return alert;
        }
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
