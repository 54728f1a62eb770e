namespace Fieldlab.Telemetry.Wire;

/// <summary>The stable reason codes of dead letters and of the <c>rejects</c> measurement.</summary>
public static class RejectReasons
{
    /// <summary>The topic is not <c>fieldlab/{site}/{rig}/samples</c> with valid ids.</summary>
    public const string InvalidTopic = "invalid-topic";
    /// <summary>The payload exceeds the documented size limit.</summary>
    public const string TooLarge = "too-large";
    /// <summary>The payload is not valid UTF-8.</summary>
    public const string InvalidUtf8 = "invalid-utf8";
    /// <summary>The payload is not well-formed JSON (or is truncated).</summary>
    public const string MalformedJson = "malformed-json";
    /// <summary>Well-formed JSON of the wrong shape or with a value of the wrong type.</summary>
    public const string Schema = "schema";
    /// <summary>The <c>v</c> field names a version this ingest does not speak.</summary>
    public const string UnsupportedVersion = "unsupported-version";
    /// <summary>A batch without rows.</summary>
    public const string EmptyBatch = "empty-batch";
    /// <summary>More rows than the documented limit.</summary>
    public const string TooManyRows = "too-many-rows";
    /// <summary>A timestamp that is not in the wire format.</summary>
    public const string BadTimestamp = "bad-timestamp";
    /// <summary>A timestamp further in the future than the allowed clock skew, or before the earliest accepted time.</summary>
    public const string TimestampSkew = "timestamp-skew";
    /// <summary>A stream or sensor id that breaks the naming rules.</summary>
    public const string InvalidName = "invalid-name";
    /// <summary>The same sensor twice in one row.</summary>
    public const string DuplicateSensor = "duplicate-sensor";
    /// <summary>No birth message is known for the rig.</summary>
    public const string UnknownRig = "unknown-rig";
    /// <summary>The rig's birth declares no such stream.</summary>
    public const string UnknownStream = "unknown-stream";
    /// <summary>The stream declares no such sensor.</summary>
    public const string UnknownSensor = "unknown-sensor";
    /// <summary>A birth message that is invalid.</summary>
    public const string InvalidBirth = "invalid-birth";
    /// <summary>InfluxDB refused the data as bad (HTTP 400).</summary>
    public const string WriteRejected = "write-rejected";
}
