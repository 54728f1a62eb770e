using System.Text.Json.Nodes;

namespace Fieldlab.Testing.Dashboards;

/// <summary>One query a dashboard sends to its data source: where it sits (<paramref name="Where"/>, for messages),
/// the JSON object holding it, the raw InfluxQL text with Grafana's macros, its data source reference, and the id of
/// the panel it belongs to (null for annotations and variables).</summary>
public sealed record DashboardQuery(DashboardFile Dashboard, string Where, JsonObject Holder, string Text, string ResultFormat, JsonObject? DataSource, int? PanelId = null)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Dashboard.Name}: {Where}";
}
