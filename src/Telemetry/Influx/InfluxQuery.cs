using System.Text.Json;

namespace Fieldlab.Telemetry.Influx;

/// <summary>An InfluxQL statement with bound parameters: values are sent in <c>params</c>, never spliced into the text.</summary>
/// <remarks>Write <c>$name</c> in the text and bind it with <see cref="Bind(string, string)"/> etc. Identifiers cannot be
/// bound in InfluxQL: pass them through <see cref="InfluxIdentifier.Quote"/>.</remarks>
public sealed class InfluxQuery
{
    private readonly Dictionary<string, object> _parameters = new(StringComparer.Ordinal);

    /// <summary>Creates a query from InfluxQL text.</summary>
    public InfluxQuery(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Text = text;
    }

    /// <summary>The InfluxQL text.</summary>
    public string Text { get; }

    /// <summary>Binds a string value.</summary>
    public InfluxQuery Bind(string name, string value) => Add(name, value);

    /// <summary>Binds a number.</summary>
    public InfluxQuery Bind(string name, double value) => Add(name, value);

    /// <summary>Binds an integer.</summary>
    public InfluxQuery Bind(string name, long value) => Add(name, value);

    /// <summary>Binds a time, sent as RFC 3339 with nanoseconds (compares with <c>time</c>).</summary>
    public InfluxQuery Bind(string name, DateTimeOffset value) => Add(name, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The <c>params</c> JSON object, or null when nothing is bound.</summary>
    public string? ParametersJson => _parameters.Count == 0 ? null : JsonSerializer.Serialize(_parameters, TelemetryJsonContext.Default.DictionaryStringObject);

    private InfluxQuery Add(string name, object value)
    {
        if (InfluxIdentifier.ExplainInvalid(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        if (!Text.Contains('$' + name, StringComparison.Ordinal)) throw new ArgumentException($"The query does not use ${name}.", nameof(name));
        if (value is string s && s.Contains('\0')) throw new ArgumentException("A bound string must not contain NUL.", nameof(value));
        _parameters[name] = value;
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => ParametersJson is { } p ? $"{Text} -- params {p}" : Text;
}
