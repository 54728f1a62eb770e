namespace Fieldlab.Telemetry.Influx;

/// <summary>An InfluxDB call failed. Transient failures (network, 5xx, 429, open circuit) may succeed later; the rest
/// (bad data, unknown database, bad query, bad credentials) will not.</summary>
public class InfluxException(string message, bool isTransient, int? statusCode = null, Exception? inner = null)
    : TelemetryException(message, isTransient, inner)
{
    /// <summary>HTTP status of the failed response, if there was one.</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>InfluxDB refused a write as bad data (HTTP 400, e.g. a field type conflict). Some points of the batch may
/// have been stored (InfluxDB 1.x "partial write"); retrying the same body will fail the same way.</summary>
public sealed class InfluxWriteRejectedException(string message, int statusCode) : InfluxException(message, isTransient: false, statusCode)
{
    /// <summary>True for InfluxDB 1.x's "partial write": it stored the valid points and dropped the others; false when
    /// it stored nothing of the request (e.g. "unable to parse" on every line).</summary>
    public bool IsPartial => Message.Contains("partial write", StringComparison.Ordinal);
}
