using System.Text.Json.Nodes;
using Fieldlab.LocalServers;

namespace Fieldlab.Testing.Dashboards;

/// <summary>One provisioned Grafana dashboard of <c>dashboards/</c>: its JSON, its folder (the Grafana folder it lands
/// in with <c>foldersFromFilesStructure</c>), its panels — rows' nested panels included — and the queries they run.</summary>
public sealed class DashboardFile
{
    private DashboardFile(string path, string folder, JsonObject json)
    {
        Path = path;
        Folder = folder;
        Json = json;
    }

    /// <summary>The dashboards folder of this checkout.</summary>
    public static string Directory => RepositoryRoot.File("dashboards");

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>The subfolder of <see cref="Directory"/> (empty at its top).</summary>
    public string Folder { get; }

    /// <summary>The parsed dashboard.</summary>
    public JsonObject Json { get; }

    /// <summary>The file name, for messages.</summary>
    public string Name => System.IO.Path.GetRelativePath(Directory, Path);

    /// <summary>The dashboard's uid, or null.</summary>
    public string? Uid => (string?)Json["uid"];

    /// <summary>Every dashboard JSON under <see cref="Directory"/> (what Grafana's file provider would load).</summary>
    public static IReadOnlyList<DashboardFile> All() =>
        [.. System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Load)];

    /// <summary>Parses one dashboard file.</summary>
    public static DashboardFile Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        var folder = System.IO.Path.GetRelativePath(Directory, System.IO.Path.GetDirectoryName(path)!);
        return new DashboardFile(path, folder == "." ? "" : folder, json);
    }

    /// <summary>A dashboard from text (tests of the rules feed broken copies).</summary>
    public static DashboardFile Parse(string name, string json) =>
        new(System.IO.Path.Combine(Directory, name), "", JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{name}: not a JSON object"));

    /// <summary>Every panel, those inside rows included, rows themselves too.</summary>
    public IEnumerable<JsonObject> Panels()
    {
        foreach (var panel in (Json["panels"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return panel;
            foreach (var nested in (panel["panels"] as JsonArray ?? []).OfType<JsonObject>()) yield return nested;
        }
    }

    /// <summary>The template variables.</summary>
    public IReadOnlyList<JsonObject> Variables() => [.. (Json["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>()];

    /// <summary>Every query the dashboard runs against a data source: each panel target, each annotation's target and
    /// each query variable's query (built-in Grafana annotations excluded).</summary>
    public IEnumerable<DashboardQuery> Queries()
    {
        foreach (var panel in Panels())
        {
            foreach (var target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
                yield return new DashboardQuery(this, $"panel '{(string?)panel["title"]}' ({(string?)target["refId"]})", target, (string?)target["query"] ?? "",
                    (string?)target["resultFormat"] ?? "time_series", panel["datasource"] as JsonObject ?? target["datasource"] as JsonObject, (int?)panel["id"]);
        }
        foreach (var annotation in (Json["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (annotation["builtIn"] is not null) continue;
            var target = annotation["target"] as JsonObject ?? [];
            yield return new DashboardQuery(this, $"annotation '{(string?)annotation["name"]}'", target, (string?)target["query"] ?? "", "table", annotation["datasource"] as JsonObject);
        }
        foreach (var variable in Variables())
        {
            if ((string?)variable["type"] != "query") continue;
            yield return new DashboardQuery(this, $"variable '{(string?)variable["name"]}'", variable, (string?)variable["query"] ?? "", "table", variable["datasource"] as JsonObject);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
