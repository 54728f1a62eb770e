using Fieldlab.Telemetry.Mqtt.Native;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>An MQTT operation failed; <see cref="TelemetryException.IsTransient"/> says whether it may work later.</summary>
public sealed class MqttException(string message, int code, bool isTransient) : TelemetryException(message, isTransient)
{
    /// <summary>libmosquitto result code, or the MQTT reason code for broker refusals.</summary>
    public int Code { get; } = code;

    internal static MqttException FromResult(string operation, int rc)
    {
        // Capture the text at once: for MOSQ_ERR_ERRNO it reads errno (libmosquitto-notes pitfall 9).
        var text = Mosquitto.ErrorText(rc);
        bool transient = rc is Mosquitto.ErrNoConn or Mosquitto.ErrConnLost or Mosquitto.ErrErrno;
        return new MqttException($"MQTT {operation} failed: {text} (libmosquitto code {rc}).", rc, transient);
    }
}
