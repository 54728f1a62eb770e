namespace Fieldlab.Telemetry.Schema;

/// <summary>The InfluxDB type of a field.</summary>
public enum FieldKind
{
    /// <summary>64-bit float.</summary>
    Float,

    /// <summary>64-bit signed integer (line protocol suffix <c>i</c>).</summary>
    Integer,

    /// <summary>String.</summary>
    String,

    /// <summary>Boolean.</summary>
    Boolean,
}
