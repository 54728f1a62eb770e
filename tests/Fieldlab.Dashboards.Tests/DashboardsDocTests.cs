using Fieldlab.LocalServers;
using Fieldlab.Testing.Dashboards;

namespace Fieldlab.Dashboards.Tests;

/// <summary>docs/dashboards.md lists every panel of every dashboard under the dashboard's own heading, so the page that
/// stands in for a screenshot stays true.</summary>
public sealed class DashboardsDocTests
{
    [Fact]
    public void TheDashboardsPage_ListsEveryPanelUnderItsDashboard()
    {
        var doc = File.ReadAllText(RepositoryRoot.File("docs", "dashboards.md"));
        var missing = new List<string>();
        foreach (var dashboard in DashboardFile.All())
        {
            var title = (string)dashboard.Json["title"]!;
            var start = doc.IndexOf($"\n### {title}\n", StringComparison.Ordinal);
            if (start < 0) { missing.Add($"no section '### {title}'"); continue; }
            var end = doc.IndexOf("\n### ", start + 5, StringComparison.Ordinal);
            var section = end < 0 ? doc[start..] : doc[start..end];
            foreach (var panel in dashboard.Panels())
                if (!section.Contains($"| {(string?)panel["title"]} |", StringComparison.Ordinal) && !section.Contains($"| **{(string?)panel["title"]}** |", StringComparison.Ordinal))
                    missing.Add($"{title}: panel '{(string?)panel["title"]}'");
        }
        Assert.True(missing.Count == 0, "docs/dashboards.md lacks:\n" + string.Join('\n', missing));
    }
}
