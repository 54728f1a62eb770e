using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>How to reach and talk to the MQTT broker; bound from configuration and validated before connecting.</summary>
public sealed class MqttConnectionOptions : IValidatableOptions
{
    /// <summary>The client library underneath (docs/reliability.md compares them).</summary>
    public MqttClientLibrary Library { get; set; } = MqttClientLibrary.Libmosquitto;

    /// <summary>Received QoS 1 messages are acknowledged only when the application calls
    /// <see cref="MqttConnection.Acknowledge"/> (ingest: once the message is stored). Needs a library that allows it.</summary>
    public bool ManualAcknowledgement { get; set; }

    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier; must be unique on the broker, and stable when <see cref="CleanSession"/> is false.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Protocol version to speak.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V5;

    /// <summary>False keeps a persistent session: the broker queues QoS 1 messages for this client while it is away.</summary>
    public bool CleanSession { get; set; } = true;

    /// <summary>MQTT 5 session lifetime after a disconnect when <see cref="CleanSession"/> is false; without it MQTT 5
    /// keeps no session at all (libmosquitto-notes pitfall 5).</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Keep-alive interval; the broker drops the client after 1.5 × this without traffic.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>User name, or null for anonymous.</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>File holding the password (mode 0600; read once at start, so that it never appears on a command line).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>TLS settings, or null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; set; }

    /// <summary>Will message, or null for none.</summary>
    public MqttLastWill? LastWill { get; set; }

    /// <summary>Most publishes awaiting acknowledgement at once. Kept well below 65,535 because libmosquitto's
    /// message ids wrap without a collision check and its send queue is unbounded (pitfall 4).</summary>
    public int MaxInflight { get; set; } = 1000;

    /// <summary>MQTT 5 receive maximum announced to the broker (QoS 1 messages it may send before our acks).</summary>
    public int ReceiveMaximum { get; set; } = 1000;

    /// <summary>Payload bytes received but not yet read from <see cref="MqttConnection.Messages"/> above which the network
    /// thread slows its reads (pings and acknowledgements keep flowing), so TCP pushes back and the broker queues instead of
    /// this process's memory. 0 for no limit.</summary>
    public long ReceiveBufferLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Publishes waiting for the in-flight window above which <see cref="MqttConnection.TryPublish"/> refuses
    /// a notice instead of queueing it.</summary>
    public int MaxQueuedNotices { get; set; } = 10_000;

    /// <summary>First wait before reconnecting; doubles per failed attempt up to <see cref="ReconnectDelayMax"/>.</summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnect attempts.</summary>
    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long disposal waits for unacknowledged QoS 1 publishes before closing.</summary>
    public TimeSpan DisposeFlushTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A copy with another client id (a service that needs a second connection with the same settings).</summary>
    public MqttConnectionOptions WithClientId(string clientId)
    {
        var copy = (MqttConnectionOptions)MemberwiseClone();
        copy.ClientId = clientId;
        return copy;
    }

    /// <summary>A copy for a service's further connection: client id and user name both get <paramref name="suffix"/>. A
    /// secured broker sets every client id to its user name, so each connection of a service is its own broker user
    /// (<c>svc.ingest-1</c>, <c>svc.ingest-1-backlog</c>, …) with the service's password.</summary>
    public MqttConnectionOptions ForConnection(string suffix)
    {
        var copy = WithClientId(ClientId + suffix);
        if (Username is not null) copy.Username = Username + suffix;
        return copy;
    }

    /// <summary>Reads <see cref="PasswordFile"/> into <see cref="Password"/> (called when the options are bound).</summary>
    public void LoadPasswordFile()
    {
        if (PasswordFile is { Length: > 0 } file && File.Exists(file)) Password = File.ReadAllText(file).Trim();
    }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) yield return "Host: must name the broker.";
        if (Port is < 1 or > 65535) yield return $"Port: must be 1..65535 (was {Port}).";
        if (string.IsNullOrWhiteSpace(ClientId)) yield return "ClientId: must be set.";
        else if (ClientId.Length > 128 || ClientId.Any(char.IsControl)) yield return "ClientId: at most 128 printable characters.";
        if (!Enum.IsDefined(ProtocolVersion)) yield return $"ProtocolVersion: must be V311 or V5 (was {ProtocolVersion}).";
        if (KeepAlive < TimeSpan.FromSeconds(5) || KeepAlive > TimeSpan.FromHours(18))
            yield return $"KeepAlive: must be 5 s..18 h (was {KeepAlive}).";
        if (!CleanSession && ProtocolVersion == MqttProtocolVersion.V5 && SessionExpiry <= TimeSpan.Zero)
            yield return "SessionExpiry: must be positive for a persistent MQTT 5 session.";
        if (SessionExpiry < TimeSpan.Zero || SessionExpiry.TotalSeconds > uint.MaxValue)
            yield return $"SessionExpiry: out of range (was {SessionExpiry}).";
        if (Password is not null && Username is null) yield return "Password: set without Username.";
        if (PasswordFile is { Length: > 0 } file && !File.Exists(file)) yield return $"PasswordFile: '{file}' does not exist.";
        if (MaxInflight is < 1 or > 60000) yield return $"MaxInflight: must be 1..60000 (was {MaxInflight}).";
        if (ReceiveMaximum is < 1 or > 65535) yield return $"ReceiveMaximum: must be 1..65535 (was {ReceiveMaximum}).";
        if (!Enum.IsDefined(Library)) yield return $"Library: unknown MQTT client library '{Library}'.";
        if (ManualAcknowledgement && Library == MqttClientLibrary.Libmosquitto)
            yield return "ManualAcknowledgement: libmosquitto acknowledges every message in its network loop; choose Library MqttNet.";
        if (MaxQueuedNotices < 0) yield return "MaxQueuedNotices: must not be negative.";
        if (ReceiveBufferLimitBytes < 0) yield return "ReceiveBufferLimitBytes: must not be negative.";
        if (ReconnectDelayMin <= TimeSpan.Zero) yield return "ReconnectDelayMin: must be positive.";
        if (ReconnectDelayMax < ReconnectDelayMin) yield return "ReconnectDelayMax: must not be below ReconnectDelayMin.";
        if (DisposeFlushTimeout < TimeSpan.Zero) yield return "DisposeFlushTimeout: must not be negative.";
        if (Tls is { } tls)
        {
            if (string.IsNullOrWhiteSpace(tls.CaFile)) yield return "Tls:CaFile: must name the CA certificate file.";
            if ((tls.CertFile is null) != (tls.KeyFile is null)) yield return "Tls:KeyFile: CertFile and KeyFile go together.";
            if (tls.MinimumVersion is not ("tlsv1.2" or "tlsv1.3")) yield return "Tls:MinimumVersion: must be tlsv1.2 or tlsv1.3.";
        }
        if (LastWill is { } will && string.IsNullOrEmpty(will.Topic)) yield return "LastWill:Topic: must be set.";
    }
}
