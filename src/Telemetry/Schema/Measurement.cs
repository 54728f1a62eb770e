using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Telemetry.Schema;

/// <summary>One measurement of the Fieldlab database: where it lives, its tags and fields, and what its time means.</summary>
/// <remarks>Code that writes or reads a measurement takes its names from here (<see cref="FieldKey"/>, <see cref="Tag"/>,
/// <see cref="Field"/>), so a name the schema lacks fails at once instead of writing or reading nothing.</remarks>
public sealed class Measurement
{
    private readonly Dictionary<string, LineProtocolName> _keys = new(StringComparer.Ordinal);

    /// <summary>Declares a measurement; <paramref name="alsoReadFrom"/> are policies that hold older points of it
    /// (written before it moved to <paramref name="retentionPolicy"/>), which readers include.</summary>
    public Measurement(string name, RetentionPolicy retentionPolicy, IReadOnlyList<string> tags, IReadOnlyList<SchemaField> fields, string time, string description,
        IReadOnlyList<RetentionPolicy>? alsoReadFrom = null)
    {
        ArgumentNullException.ThrowIfNull(retentionPolicy);
        Name = name;
        RetentionPolicy = retentionPolicy;
        AlsoReadFrom = alsoReadFrom ?? [];
        Tags = tags;
        Fields = fields;
        Time = time;
        Description = description;
        LineName = LineProtocolName.Measurement(name);
        if (InfluxIdentifier.ExplainInvalid(name) is { } problem) throw new ArgumentException(problem, nameof(name));
    }

    /// <summary>The measurement's name.</summary>
    public string Name { get; }

    /// <summary>The retention policy that holds it.</summary>
    public RetentionPolicy RetentionPolicy { get; }

    /// <summary>Policies that hold older points of it, read together with <see cref="RetentionPolicy"/>.</summary>
    public IReadOnlyList<RetentionPolicy> AlsoReadFrom { get; }

    /// <summary>Its tag keys.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Its fields (fixed names and patterns).</summary>
    public IReadOnlyList<SchemaField> Fields { get; }

    /// <summary>What a point's time is.</summary>
    public string Time { get; }

    /// <summary>What one point is.</summary>
    public string Description { get; }

    /// <summary>The name for <see cref="LineProtocolWriter.BeginPoint(LineProtocolName)"/>.</summary>
    public LineProtocolName LineName { get; }

    /// <summary>The measurement as an InfluxQL FROM or INTO names it: <c>"rp"."name"</c>, or <c>"name"</c> in the default policy.</summary>
    public string QuotedName => Quoted(RetentionPolicy);

    /// <summary>What an InfluxQL FROM reads it from: <see cref="QuotedName"/> and, comma-separated, the same name in
    /// every policy of <see cref="AlsoReadFrom"/> (InfluxDB merges them into one series per tag set).</summary>
    public string ReadSources => string.Join(", ", new[] { RetentionPolicy }.Concat(AlsoReadFrom).Select(Quoted));

    private string Quoted(RetentionPolicy policy) => policy.IsDefault ? InfluxIdentifier.Quote(Name) : $"{InfluxIdentifier.Quote(policy.Name)}.{InfluxIdentifier.Quote(Name)}";

    /// <summary>The retention policy a reader names, or null for the default one.</summary>
    public string? ExplicitRetentionPolicy => RetentionPolicy.IsDefault ? null : RetentionPolicy.Name;

    /// <summary>True if <paramref name="key"/> is one of its tag keys.</summary>
    public bool HasTag(string key) => Tags.Contains(key, StringComparer.Ordinal);

    /// <summary>True if <paramref name="key"/> is one of its fields or fits one of its patterns.</summary>
    public bool HasField(string key) => Fields.Any(f => f.Matches(key));

    /// <summary>The tag key <paramref name="key"/>; throws if the schema does not declare it.</summary>
    public string Tag(string key) => HasTag(key) ? key : throw new ArgumentException($"Measurement '{Name}' has no tag '{key}' (tags: {string.Join(", ", Tags)}).", nameof(key));

    /// <summary>The field key <paramref name="key"/>; throws if the schema does not declare it (or a pattern it fits).</summary>
    public string Field(string key) => HasField(key) ? key : throw new ArgumentException($"Measurement '{Name}' has no field '{key}' (fields: {string.Join(", ", Fields.Select(f => f.Name))}).", nameof(key));

    /// <summary>A tag or field key validated against the schema and escaped for line protocol (cached).</summary>
    public LineProtocolName FieldKey(string key)
    {
        lock (_keys)
        {
            if (_keys.TryGetValue(key, out var name)) return name;
            if (!HasTag(key)) Field(key);
            return _keys[key] = LineProtocolName.Key(key);
        }
    }

    /// <inheritdoc />
    public override string ToString() => RetentionPolicy.IsDefault ? Name : $"{RetentionPolicy.Name}.{Name}";
}
