using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fieldlab.Telemetry.Mqtt.Native;

/// <summary>P/Invoke declarations for Eclipse Mosquitto's client library (libmosquitto 2.0, Debian libmosquitto1).</summary>
/// <remarks>
/// Only <see cref="MqttConnection"/> calls these. Conventions from ../shared/libmosquitto-notes.md:
/// a <c>const char*</c> result is <c>byte*</c> (a <c>string</c> return would free static memory),
/// C <c>bool</c> is marshalled as one byte, and <c>unsafe</c> sits on methods, not on the class.
/// </remarks>
internal static partial class Mosquitto
{
    private const string Library = "libmosquitto.so.1";

    internal const int ErrSuccess = 0;
    internal const int ErrNoConn = 4;
    internal const int ErrConnLost = 7;
    internal const int ErrErrno = 14;

    internal const int OptProtocolVersion = 1;
    internal const int OptReceiveMaximum = 4;
    internal const int OptSendMaximum = 5;
    internal const int OptTcpNoDelay = 11;

    internal const int LogInfo = 0x01;
    internal const int LogNotice = 0x02;
    internal const int LogWarning = 0x04;
    internal const int LogError = 0x08;

    /// <summary>MQTT 5 property identifier: Session Expiry Interval (MQTT 5.0 §3.1.2.11.2).</summary>
    internal const int PropSessionExpiryInterval = 17;

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_init")]
    internal static partial int LibInit();

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_version")]
    internal static partial int LibVersion(out int major, out int minor, out int revision);

    [LibraryImport(Library, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial MosquittoClientHandle New(string id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint userdata);

    [LibraryImport(Library, EntryPoint = "mosquitto_destroy")]
    internal static partial void Destroy(nint mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_int_option")]
    internal static partial int IntOption(MosquittoClientHandle mosq, int option, int value);

    [LibraryImport(Library, EntryPoint = "mosquitto_threaded_set")]
    internal static partial int ThreadedSet(MosquittoClientHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(Library, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UsernamePasswordSet(MosquittoClientHandle mosq, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_will_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int WillSet(MosquittoClientHandle mosq, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TlsSet(MosquittoClientHandle mosq, string? caFile, string? caPath, string? certFile, string? keyFile, nint passwordCallback);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_opts_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TlsOptionsSet(MosquittoClientHandle mosq, int certificateRequirements, string? tlsVersion, string? ciphers);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_insecure_set")]
    internal static partial int TlsInsecureSet(MosquittoClientHandle mosq, [MarshalAs(UnmanagedType.U1)] bool insecure);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_bind_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConnectBindV5(MosquittoClientHandle mosq, string host, int port, int keepAlive, string? bindAddress, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_reconnect")]
    internal static partial int Reconnect(MosquittoClientHandle mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_v5")]
    internal static partial int DisconnectV5(MosquittoClientHandle mosq, int reasonCode, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop")]
    internal static partial int Loop(MosquittoClientHandle mosq, int timeoutMilliseconds, int maxPackets);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int PublishV5(MosquittoClientHandle mosq, out int mid, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SubscribeV5(MosquittoClientHandle mosq, out int mid, string filter, int qos, int options, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_unsubscribe_v5", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int UnsubscribeV5(MosquittoClientHandle mosq, out int mid, string filter, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_add_int32")]
    internal static unsafe partial int PropertyAddInt32(nint* propertyList, int identifier, uint value);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_free_all")]
    internal static unsafe partial void PropertyFreeAll(nint* propertyList);

    [LibraryImport(Library, EntryPoint = "mosquitto_strerror")]
    internal static unsafe partial byte* StrError(int error);

    [LibraryImport(Library, EntryPoint = "mosquitto_reason_string")]
    internal static unsafe partial byte* ReasonString(int reasonCode);

    [LibraryImport(Library, EntryPoint = "mosquitto_connack_string")]
    internal static unsafe partial byte* ConnackString(int connackCode);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_v5_callback_set")]
    internal static unsafe partial void ConnectV5CallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_v5_callback_set")]
    internal static unsafe partial void DisconnectV5CallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5_callback_set")]
    internal static unsafe partial void PublishV5CallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_message_v5_callback_set")]
    internal static unsafe partial void MessageV5CallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, MosquittoMessage*, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_v5_callback_set")]
    internal static unsafe partial void SubscribeV5CallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, int*, nint, void> callback);

    [LibraryImport(Library, EntryPoint = "mosquitto_log_callback_set")]
    internal static unsafe partial void LogCallbackSet(MosquittoClientHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, byte*, void> callback);

    /// <summary>Error text for a libmosquitto result code; for <see cref="ErrErrno"/> it reads errno, so call it at once.</summary>
    internal static unsafe string ErrorText(int error) => Utf8(StrError(error));

    internal static unsafe string ReasonText(int reasonCode) => Utf8(ReasonString(reasonCode));

    internal static unsafe string ConnackText(int code) => Utf8(ConnackString(code));

    internal static unsafe string Utf8(byte* text) =>
        text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
}

/// <summary>Layout of libmosquitto's <c>struct mosquitto_message</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MosquittoMessage
{
    public int Mid;
    public byte* Topic;
    public byte* Payload;
    public int PayloadLength;
    public int Qos;
    public byte Retain;
}
