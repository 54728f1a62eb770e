using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Fieldlab.Telemetry.Mqtt.Native;

namespace Fieldlab.Telemetry.Mqtt.Native;

// The native entry points. Each resolves the connection from the userdata GCHandle, runs a short handler, and never
// lets an exception escape: an exception leaving an [UnmanagedCallersOnly] method aborts the process (pitfall 1).
internal sealed partial class MosquittoConnection
{
    private static MosquittoConnection? From(nint userdata)
    {
        if (userdata == 0) return null;
        return GCHandle.FromIntPtr(userdata).Target as MosquittoConnection;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(nint mosq, nint userdata, int rc, int flags, nint properties)
    {
        try { From(userdata)?.HandleConnect(rc, flags); }
        catch (Exception e) { Report(userdata, e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(nint mosq, nint userdata, int rc, nint properties)
    {
        try { From(userdata)?.HandleDisconnect(rc); }
        catch (Exception e) { Report(userdata, e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(nint mosq, nint userdata, int mid, int reasonCode, nint properties)
    {
        try { From(userdata)?.HandlePublish(mid, reasonCode); }
        catch (Exception e) { Report(userdata, e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnMessage(nint mosq, nint userdata, MosquittoMessage* message, nint properties)
    {
        try { From(userdata)?.HandleMessage(message); }
        catch (Exception e) { Report(userdata, e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnSubscribe(nint mosq, nint userdata, int mid, int count, int* granted, nint properties)
    {
        try { From(userdata)?.HandleSubscribe(mid, count, granted); }
        catch (Exception e) { Report(userdata, e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe void OnLog(nint mosq, nint userdata, int level, byte* text)
    {
        // Filter first: the library logs every packet at debug level, also on publishing threads (pitfall 10).
        if ((level & (Mosquitto.LogWarning | Mosquitto.LogError)) == 0) return;
        try { From(userdata)?.HandleLog(level, Mosquitto.Utf8(text)); }
        catch (Exception e) { Report(userdata, e); }
    }

    private static void Report(nint userdata, Exception error)
    {
        try
        {
            if (From(userdata) is { } connection)
            {
                connection._lastError = error.Message;
                connection.LogNetworkThreadFailed(connection._options.ClientId, error);
            }
        }
        catch
        {
            // Nothing may escape a native callback.
        }
    }
}
