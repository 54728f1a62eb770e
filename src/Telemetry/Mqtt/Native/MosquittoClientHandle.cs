using Microsoft.Win32.SafeHandles;

namespace Fieldlab.Telemetry.Mqtt.Native;

/// <summary>Owns one <c>struct mosquitto*</c>; released with <c>mosquitto_destroy</c>.</summary>
/// <remarks>
/// <see cref="MqttConnection"/> releases it only after its network thread has ended: destroying a client whose
/// loop still runs is undefined behaviour in libmosquitto.
/// </remarks>
internal sealed class MosquittoClientHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        Mosquitto.Destroy(handle);
        return true;
    }
}
