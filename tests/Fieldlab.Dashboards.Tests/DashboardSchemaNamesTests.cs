using Fieldlab.Telemetry.Schema;
using Fieldlab.Testing.Dashboards;

namespace Fieldlab.Dashboards.Tests;

/// <summary>The dashboards name only measurements, tags and fields the one schema defines (src/Telemetry/Schema), so a
/// renamed field breaks this test instead of silently emptying a panel.</summary>
public sealed class DashboardSchemaNamesTests
{
    public static TheoryData<string> Dashboards() => [.. DashboardFile.All().Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void EveryQuery_NamesOnlyWhatTheSchemaDefines(string name)
    {
        var dashboard = DashboardFile.Load(Path.Combine(DashboardFile.Directory, name));
        var problems = dashboard.Queries().SelectMany(q => SchemaReferences.Check(Expanded(dashboard, q.Text)).Select(p => $"{q.Where}: {p}")).ToList();
        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void AQueryNamingAnUnknownField_IsReported()
    {
        var pump = DashboardFile.All().Single(d => d.Uid == "fieldlab-pump");
        var query = pump.Queries().First(q => q.Text.Contains("mean(\"flow\")", StringComparison.Ordinal));
        Assert.Empty(SchemaReferences.Check(Expanded(pump, query.Text)));
        var broken = query.Text.Replace("mean(\"flow\")", "mean(\"flow_rate\")", StringComparison.Ordinal).Replace("FROM \"samples_raw\".\"samples\"", "FROM \"samples_raw\".\"sample\"", StringComparison.Ordinal);
        var problems = SchemaReferences.Check(Expanded(pump, broken)).Select(p => p.ToString()).ToList();
        Assert.Contains(problems, p => p.Contains("sample", StringComparison.Ordinal));
    }

    // Grafana's substitution with stand-in values: the names a query uses do not depend on them.
    private static string Expanded(DashboardFile dashboard, string text) => GrafanaMacros.Expand(text, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), TimeSpan.FromSeconds(10),
        dashboard.Variables().ToDictionary(v => (string)v["name"]!, v => (string?)v["type"] is "constant" or "textbox" ? VariableValue.Single((string)v["query"]!) : VariableValue.Single("x")));
}
