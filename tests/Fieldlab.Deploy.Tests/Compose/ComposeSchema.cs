using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldlab.LocalServers;
using Json.Schema;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>The Compose Specification's JSON schema vendored in deploy/compose/schema (SOURCE.md says from where).</summary>
internal static class ComposeSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(RepositoryRoot.File("deploy", "compose", "schema", "compose-spec.json")))!.AsObject();
        // The file names its dialect "http://json-schema.org/draft/2019-09/schema#" (old spelling, with '#'), which
        // JsonSchema.Net does not know by that id: name the same dialect by its canonical id, in memory only (the vendored
        // file keeps the hash SOURCE.md records).
        schema["$schema"] = Dialect.Draft201909.Id!.ToString();
        return JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { Dialect = Dialect.Draft201909 });
    });

    /// <summary>Where <paramref name="document"/> breaks the schema: one line per failed keyword, empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(JsonObject document)
    {
        using var json = JsonDocument.Parse(document.ToJsonString());
        var result = Schema.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return [.. (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid (no details)")];
    }
}
