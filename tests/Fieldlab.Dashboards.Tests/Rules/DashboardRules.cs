using System.Text.Json.Nodes;
using Fieldlab.Testing.Dashboards;

namespace Fieldlab.Dashboards.Tests.Rules;

/// <summary>What Grafana's types cannot say about a dashboard, and what Fieldlab asks of its own: the current schema
/// version, panel types that exist, panels inside the 24-column grid with unique ids, data sources that are
/// provisioned, raw InfluxQL in every target, declared variables, a unit and a description on every panel, and the
/// <c>site</c> and <c>rig</c> variables from <c>SHOW TAG VALUES</c>.</summary>
public static class DashboardRules
{
    /// <summary>Grafana's grid has 24 columns.</summary>
    public const int GridColumns = 24;

    /// <summary>Every broken rule of <paramref name="dashboard"/>, one line each (empty when it is sound).</summary>
    public static IReadOnlyList<string> Check(DashboardFile dashboard, GrafanaModel model, IReadOnlyDictionary<string, string> dataSources)
    {
        var problems = new List<string>();
        var json = dashboard.Json;
        if ((int?)json["schemaVersion"] != model.SchemaVersion)
            problems.Add($"schemaVersion is {json["schemaVersion"]?.ToJsonString() ?? "missing"}, Grafana {model.Version}'s is {model.SchemaVersion}");
        if (string.IsNullOrWhiteSpace(dashboard.Uid)) problems.Add("no uid: provisioned dashboards need a stable uid for links");
        if (string.IsNullOrWhiteSpace((string?)json["title"])) problems.Add("no title");
        if (json["time"]?["from"] is null) problems.Add("no default time range");
        if (string.IsNullOrWhiteSpace((string?)json["refresh"])) problems.Add("no refresh interval");

        var ids = new HashSet<int>();
        foreach (var panel in dashboard.Panels())
        {
            var title = (string?)panel["title"] ?? "(untitled)";
            var type = (string?)panel["type"] ?? "";
            if (type != "row" && !model.PanelTypes.Contains(type.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()))
                problems.Add($"panel '{title}': type '{type}' is not a Grafana panel");
            if ((int?)panel["id"] is not { } id) problems.Add($"panel '{title}': no id");
            else if (!ids.Add(id)) problems.Add($"panel '{title}': id {id} is used twice");
            if (panel["gridPos"] is not JsonObject grid) problems.Add($"panel '{title}': no gridPos");
            else
            {
                int x = (int?)grid["x"] ?? -1, w = (int?)grid["w"] ?? 0, h = (int?)grid["h"] ?? 0, y = (int?)grid["y"] ?? -1;
                if (x < 0 || w < 1 || x + w > GridColumns || h < 1 || y < 0)
                    problems.Add($"panel '{title}': gridPos x={x} w={w} y={y} h={h} is outside the {GridColumns}-column grid");
            }
            if (type == "row") continue;
            if (string.IsNullOrWhiteSpace(title) || title == "(untitled)") problems.Add("a panel without a title");
            if (string.IsNullOrWhiteSpace((string?)panel["description"])) problems.Add($"panel '{title}': no description (what it shows and where its thresholds come from)");
            if (string.IsNullOrWhiteSpace((string?)panel["fieldConfig"]?["defaults"]?["unit"])) problems.Add($"panel '{title}': no unit");
            if (panel["targets"] is not JsonArray { Count: > 0 }) problems.Add($"panel '{title}': no query");
        }

        var declared = dashboard.Variables().Select(v => (string?)v["name"] ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var name in new[] { "site", "rig" })
        {
            var variable = dashboard.Variables().FirstOrDefault(v => (string?)v["name"] == name);
            if (variable is null) problems.Add($"no '{name}' variable");
            else if ((string?)variable["type"] != "query" || !((string?)variable["query"] ?? "").StartsWith("SHOW TAG VALUES", StringComparison.Ordinal))
                problems.Add($"variable '{name}' does not come from SHOW TAG VALUES");
        }
        foreach (var query in dashboard.Queries())
        {
            var source = (string?)query.DataSource?["uid"];
            if (source is null) problems.Add($"{query.Where}: no data source");
            else if (!dataSources.ContainsKey(source)) problems.Add($"{query.Where}: data source uid '{source}' is not provisioned ({string.Join(", ", dataSources.Keys)})");
            if (string.IsNullOrWhiteSpace(query.Text)) problems.Add($"{query.Where}: empty query");
            if (!query.Where.StartsWith("variable", StringComparison.Ordinal) && query.Holder["rawQuery"]?.GetValue<bool>() != true)
                problems.Add($"{query.Where}: rawQuery is not true (the query editor's builder would rewrite the InfluxQL)");
            foreach (var reference in GrafanaMacros.References(query.Text))
                if (!declared.Contains(reference) && !GrafanaMacros.BuiltIns.Contains(reference))
                    problems.Add($"{query.Where}: ${reference} is not a variable of this dashboard");
        }
        foreach (var variable in dashboard.Variables())
            foreach (var reference in GrafanaMacros.References((string?)variable["query"] ?? ""))
                if (!declared.Contains(reference)) problems.Add($"variable '{(string?)variable["name"]}': ${reference} is not declared");
        return problems;
    }
}
