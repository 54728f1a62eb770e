using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldlab.Dashboards.Tests.Rules;
using Fieldlab.Testing.Dashboards;
using Json.Schema;

namespace Fieldlab.Dashboards.Tests;

/// <summary>Every dashboard is a valid instance of Grafana's dashboard model (the JSON Schema generated from
/// <c>@grafana/schema</c>'s <c>Dashboard</c> type, GrafanaModel/SOURCE.md): no unknown key, no wrong type.</summary>
public sealed class DashboardSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(GrafanaModel.Directory, "dashboard.schema.json"))));

    public static TheoryData<string> Dashboards() => [.. DashboardFile.All().Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_IsAValidGrafanaDashboard(string name)
    {
        var errors = Errors(DashboardFile.Load(Path.Combine(DashboardFile.Directory, name)).Json);
        Assert.True(errors.Count == 0, $"{name} does not match Grafana's dashboard model:\n" + string.Join('\n', errors));
    }

    [Fact]
    public void AMisspeltKeyOrAWrongType_IsRefusedByTheModel()
    {
        var sound = DashboardFile.All().First().Json;
        Assert.Empty(Errors(sound));

        var misspelt = (JsonObject)sound.DeepClone();
        ((JsonObject)misspelt["panels"]![1]!)["fieldconfig"] = new JsonObject();
        Assert.Contains(Errors(misspelt), e => e.Contains("fieldconfig", StringComparison.Ordinal));

        var wrongType = (JsonObject)sound.DeepClone();
        ((JsonObject)wrongType["panels"]![1]!)["gridPos"]!["w"] = "twelve";
        Assert.NotEmpty(Errors(wrongType));

        var noVersion = (JsonObject)sound.DeepClone();
        noVersion.Remove("schemaVersion");
        Assert.NotEmpty(Errors(noVersion));
    }

    /// <summary>The schema's complaints about a dashboard, each with where it is.</summary>
    internal static IReadOnlyList<string> Errors(JsonObject dashboard)
    {
        using var doc = JsonDocument.Parse(dashboard.ToJsonString());
        var result = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).Distinct()];
    }
}
