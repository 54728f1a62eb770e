using System.Globalization;
using Fieldlab.Telemetry.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Fieldlab.Gateway.Configuration;

/// <summary>Reads a gateway's YAML file; any problem (syntax, unknown key, bad value) fails with the file, the line and
/// the offending key, before anything starts.</summary>
public static class GatewayConfigFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithTypeConverter(new DurationConverter())
        .Build();

    /// <summary>Loads and validates a file.</summary>
    public static GatewayConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new GatewayConfigException($"{path}: cannot read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates YAML text; <paramref name="source"/> names it in errors.</summary>
    public static GatewayConfig Parse(string text, string source)
    {
        GatewayConfig? config;
        try
        {
            config = Yaml.Deserialize<GatewayConfig>(text);
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message is { } detail ? $" ({detail})" : "";
            throw new GatewayConfigException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}{inner}");
        }
        if (config is null) throw new GatewayConfigException($"{source}: the file is empty.");
        var problems = config.Validate().ToList();
        if (problems.Count > 0) throw new GatewayConfigException($"{source}: {string.Join("; ", problems)}");
        return config;
    }

    /// <summary>Reads durations as <c>500ms</c>, <c>1s</c>, <c>5m</c>, <c>2h</c> or <c>hh:mm:ss</c>.</summary>
    private sealed class DurationConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(TimeSpan) || type == typeof(TimeSpan?);

        public object ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var scalar = parser.Consume<Scalar>();
            return Duration.Parse(scalar.Value) ?? throw new YamlException(scalar.Start, scalar.End,
                $"'{scalar.Value}' is not a duration (use e.g. 500ms, 1s, 5m, 2h).");
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(((TimeSpan)value!).ToString("c", CultureInfo.InvariantCulture)));
    }
}

/// <summary>A gateway configuration file is unusable; the message names file, line and key.</summary>
public sealed class GatewayConfigException(string message) : Exception(message);
