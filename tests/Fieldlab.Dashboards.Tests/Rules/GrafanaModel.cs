using System.Text.Json;
using Fieldlab.LocalServers;

namespace Fieldlab.Dashboards.Tests.Rules;

/// <summary>The vendored facts of Grafana's dashboard model (<c>GrafanaModel/grafana-model.json</c>, see its SOURCE.md):
/// the package version, the current <c>schemaVersion</c> and the panel plugins that exist.</summary>
public sealed record GrafanaModel(string Version, int SchemaVersion, IReadOnlySet<string> PanelTypes)
{
    /// <summary>The folder of the vendored files.</summary>
    public static string Directory => Path.Combine(RepositoryRoot.Path, "tests", "Fieldlab.Dashboards.Tests", "GrafanaModel");

    /// <summary>Reads <c>grafana-model.json</c>.</summary>
    public static GrafanaModel Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "grafana-model.json")));
        var root = doc.RootElement;
        return new GrafanaModel(root.GetProperty("version").GetString()!, root.GetProperty("schemaVersion").GetInt32(),
            root.GetProperty("panelTypes").EnumerateArray().Select(p => p.GetString()!).ToHashSet(StringComparer.Ordinal));
    }
}
