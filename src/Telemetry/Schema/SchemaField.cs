namespace Fieldlab.Telemetry.Schema;

/// <summary>A field of a measurement: a fixed name (<c>score</c>) or a pattern with one placeholder in braces
/// (<c>share_{sensor}</c>, <c>{sensor}</c>) for fields named after a rig's sensors.</summary>
/// <param name="Name">The field name, or the pattern.</param>
/// <param name="Kind">Its InfluxDB type.</param>
/// <param name="Description">What it holds, with its unit.</param>
/// <param name="Of">For a pattern over another measurement's fields (<c>mean_{field}</c> of a downsampled measurement):
/// that measurement, whose fields the placeholder must name; null when any name fits.</param>
public sealed record SchemaField(string Name, FieldKind Kind, string Description, Measurement? Of = null)
{
    /// <summary>True if <see cref="Name"/> is a pattern.</summary>
    public bool IsPattern => Name.Contains('{', StringComparison.Ordinal);

    /// <summary>True if the field key <paramref name="field"/> is this field (or fits its pattern).</summary>
    public bool Matches(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!IsPattern) return field == Name;
        int open = Name.IndexOf('{', StringComparison.Ordinal), close = Name.IndexOf('}', StringComparison.Ordinal);
        var prefix = Name[..open];
        var suffix = Name[(close + 1)..];
        if (field.Length <= prefix.Length + suffix.Length || !field.StartsWith(prefix, StringComparison.Ordinal) || !field.EndsWith(suffix, StringComparison.Ordinal)) return false;
        return Of is null || Of.HasField(field[prefix.Length..^suffix.Length]);
    }

    /// <summary>The pattern with its placeholder replaced by <paramref name="value"/> (<c>share_</c> + sensor).</summary>
    public string For(string value)
    {
        if (!IsPattern) throw new InvalidOperationException($"Field '{Name}' is no pattern.");
        int open = Name.IndexOf('{', StringComparison.Ordinal), close = Name.IndexOf('}', StringComparison.Ordinal);
        return string.Concat(Name.AsSpan(0, open), value, Name.AsSpan(close + 1));
    }
}
