namespace Fieldlab.Telemetry;

/// <summary>Base of the small exception family that the MQTT and InfluxDB clients translate transport errors into.</summary>
/// <remarks>
/// <see cref="IsTransient"/> tells a caller whether the same call may succeed later (retry, buffer, back off) or
/// never will (bad data, bad credentials, bad configuration).
/// </remarks>
public class TelemetryException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when repeating the operation later can succeed.</summary>
    public bool IsTransient { get; } = isTransient;
}
