using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>A compose file as Compose reads it: YAML parsed, every string scalar interpolated, turned into JSON (what the
/// schema validates and the rules look at). Keys are not interpolated, as in Compose.</summary>
internal sealed partial class ComposeDocument
{
    private ComposeDocument(JsonObject root, string directory, IReadOnlySet<string> variables)
    {
        Root = root;
        Directory = directory;
        Variables = variables;
    }

    /// <summary>The interpolated document.</summary>
    public JsonObject Root { get; }

    /// <summary>The directory relative paths are resolved against (the compose file's).</summary>
    public string Directory { get; }

    /// <summary>Every variable the file refers to.</summary>
    public IReadOnlySet<string> Variables { get; }

    /// <summary>The services by name.</summary>
    public IEnumerable<(string Name, JsonObject Service)> Services =>
        (Root["services"] as JsonObject ?? []).Select(kv => (kv.Key, kv.Value as JsonObject ?? []));

    /// <summary>Parses <paramref name="yaml"/> and interpolates it with <paramref name="values"/>.</summary>
    /// <exception cref="ComposeInterpolationException">A required variable is missing.</exception>
    /// <exception cref="YamlException">The text is not YAML.</exception>
    public static ComposeDocument Parse(string yaml, string directory, IReadOnlyDictionary<string, string> values)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new FormatException("A compose file is one YAML document whose root is a mapping.");
        var variables = new HashSet<string>(StringComparer.Ordinal);
        var root = (JsonObject)Convert(mapping, values, variables)!;
        return new ComposeDocument(root, directory, variables);
    }

    private static JsonNode? Convert(YamlNode node, IReadOnlyDictionary<string, string> values, HashSet<string> variables) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(
            ((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value, values, variables)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, values, variables))]),
        YamlScalarNode scalar => Scalar(scalar, values, variables),
        _ => throw new FormatException($"Unsupported YAML node at {node.Start} (aliases and merge keys are not used in compose.yaml)."),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar, IReadOnlyDictionary<string, string> values, HashSet<string> variables)
    {
        string text = scalar.Value ?? "";
        if (text.Contains('$', StringComparison.Ordinal))
        {
            variables.UnionWith(ComposeVariables.Names(text));
            return JsonValue.Create(ComposeVariables.Interpolate(text, values));
        }
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(text);
        // YAML 1.2 core schema, as Compose's parser resolves plain scalars.
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (Integer().IsMatch(text)) return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        if (Float().IsMatch(text)) return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
