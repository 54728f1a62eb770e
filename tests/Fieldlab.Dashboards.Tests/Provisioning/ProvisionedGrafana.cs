using Fieldlab.LocalServers;
using YamlDotNet.RepresentationModel;

namespace Fieldlab.Dashboards.Tests.Provisioning;

/// <summary>The provisioning files of <c>dashboards/provisioning</c> as Grafana reads them: the data sources (uid,
/// type, every <c>${VAR}</c> they take from the environment) and the dashboard providers.</summary>
public sealed class ProvisionedGrafana
{
    /// <summary>The data source file.</summary>
    public static string DataSourcesFile => RepositoryRoot.File("dashboards", "provisioning", "datasources", "fieldlab.yaml");

    /// <summary>The dashboard provider file.</summary>
    public static string ProvidersFile => RepositoryRoot.File("dashboards", "provisioning", "dashboards", "fieldlab.yaml");

    /// <summary>Data source uid → type.</summary>
    public required IReadOnlyDictionary<string, string> DataSources { get; init; }

    /// <summary>The providers as YAML mappings.</summary>
    public required IReadOnlyList<YamlMappingNode> Providers { get; init; }

    /// <summary>Every environment variable the provisioning files reference.</summary>
    public required IReadOnlySet<string> Environment { get; init; }

    /// <summary>Reads this checkout's provisioning.</summary>
    public static ProvisionedGrafana Load() => Parse(File.ReadAllText(DataSourcesFile), File.ReadAllText(ProvidersFile));

    /// <summary>Parses provisioning text (tests feed broken copies).</summary>
    public static ProvisionedGrafana Parse(string dataSources, string providers)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Sequence(Root(dataSources), "datasources"))
            sources[Scalar(source, "uid") ?? throw new InvalidDataException("a provisioned data source without a uid: dashboards cannot refer to it")] = Scalar(source, "type") ?? "";
        var environment = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in new[] { dataSources, providers })
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"\$\{([A-Z0-9_]+)\}|\$([A-Z][A-Z0-9_]*)"))
                environment.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        return new ProvisionedGrafana { DataSources = sources, Providers = [.. Sequence(Root(providers), "providers")], Environment = environment };
    }

    /// <summary>A scalar value of a mapping, or null.</summary>
    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode Root(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw new InvalidDataException("a provisioning file must be a YAML mapping");
    }

    private static IEnumerable<YamlMappingNode> Sequence(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var list) && list is YamlSequenceNode items ? items.OfType<YamlMappingNode>() : [];
}
