using Fieldlab.Testing.Dashboards;

namespace Fieldlab.Dashboards.Tests.Provisioning;

/// <summary>The provisioning files are what Grafana accepts: one InfluxQL data source with a stable uid and every
/// secret from the environment, and a file provider that takes its folders from the directory tree.</summary>
public sealed class ProvisioningTests
{
    [Fact]
    public void TheDataSource_IsInfluxDbWithEverySettingFromTheEnvironment()
    {
        var grafana = ProvisionedGrafana.Load();
        Assert.Equal("influxdb", Assert.Single(grafana.DataSources).Value);
        Assert.Superset(new HashSet<string> { "FIELDLAB_INFLUX_URL", "FIELDLAB_INFLUX_DB", "FIELDLAB_INFLUX_USER", "FIELDLAB_INFLUX_PASSWORD" }, (ISet<string>)grafana.Environment.ToHashSet());
        var text = File.ReadAllText(ProvisionedGrafana.DataSourcesFile);
        Assert.DoesNotMatch(@"password:\s*[^$\s]", text);
    }

    [Fact]
    public void TheProvider_TakesFoldersFromTheFileTree_WithAnEmptyFolder()
    {
        var problems = ProviderProblems(ProvisionedGrafana.Load());
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        var broken = ProvisionedGrafana.Parse(File.ReadAllText(ProvisionedGrafana.DataSourcesFile),
            File.ReadAllText(ProvisionedGrafana.ProvidersFile).Replace("folder: \"\"", "folder: Fieldlab", StringComparison.Ordinal));
        Assert.Contains(ProviderProblems(broken), p => p.Contains("folder", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryDashboardFolder_HoldsOnlyDashboards()
    {
        // Grafana's file provider loads every *.json below its path: nothing else may be JSON there.
        foreach (var dashboard in DashboardFile.All())
            Assert.True(dashboard.Json["panels"] is not null && dashboard.Json["schemaVersion"] is not null, $"{dashboard.Name} is not a dashboard");
    }

    private static List<string> ProviderProblems(ProvisionedGrafana grafana)
    {
        var problems = new List<string>();
        if (grafana.Providers.Count == 0) problems.Add("no provider");
        foreach (var provider in grafana.Providers)
        {
            var name = ProvisionedGrafana.Scalar(provider, "name");
            if (ProvisionedGrafana.Scalar(provider, "type") != "file") problems.Add($"{name}: not a file provider");
            var options = provider.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("options"), out var o) ? o as YamlDotNet.RepresentationModel.YamlMappingNode : null;
            var fromFiles = options is not null && ProvisionedGrafana.Scalar(options, "foldersFromFilesStructure") == "true";
            if (!fromFiles) problems.Add($"{name}: folders are not taken from the file tree (foldersFromFilesStructure)");
            if (fromFiles && !string.IsNullOrEmpty(ProvisionedGrafana.Scalar(provider, "folder")))
                problems.Add($"{name}: folder must be empty when foldersFromFilesStructure is used (Grafana refuses the provider otherwise)");
            if (options is null || string.IsNullOrEmpty(ProvisionedGrafana.Scalar(options, "path"))) problems.Add($"{name}: no path");
        }
        return problems;
    }
}
