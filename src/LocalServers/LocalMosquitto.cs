using System.Net.Sockets;
using Fieldlab.Access.Broker;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.LocalServers;

/// <summary>A real Mosquitto broker on a free loopback port, configured from deploy/local/mosquitto.conf.template.
/// Secured (<see cref="StartSecuredAsync"/>: no anonymous access, passwd and acl files rendered by src/Access/Broker,
/// client id = user name) like every deployment; or, for tests of MQTT mechanics only, with the template's access
/// block replaced by anonymous access (<see cref="StartNewAsync"/>).</summary>
public sealed class LocalMosquitto : ServerProcess
{
    private LocalMosquitto(string? extraConfig, bool secured, string? tlsListener) : base("mosquitto")
    {
        Port = FreePort.Next();
        AccessDirectory = System.IO.Path.Combine(Directory, "access");
        var config = Render("mosquitto.conf.template", new Dictionary<string, string>
        {
            ["PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA_DIR"] = Directory,
            ["LOG_FILE"] = LogFile,
            ["USER"] = Environment.UserName,
            ["ACCESS_DIR"] = AccessDirectory,
            ["TLS_LISTENER"] = tlsListener ?? "",
        });
        if (!secured) config = OpenAccess(config);
        File.WriteAllText(System.IO.Path.Combine(Directory, "mosquitto.conf"), config + "\n" + (extraConfig ?? ""));
        Access = new BrokerReloader(AccessOptions());
    }

    /// <summary>The broker's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Where the passwd and acl files are (secured brokers).</summary>
    public string AccessDirectory { get; }

    /// <summary>Writes new access files and makes the running broker read them (secured brokers).</summary>
    public BrokerReloader Access { get; }

    /// <inheritdoc />
    protected override string CommandLine => $"mosquitto -c '{System.IO.Path.Combine(Directory, "mosquitto.conf")}'";

    /// <summary>Starts a broker with anonymous access, for tests of MQTT mechanics (never for access tests or a
    /// deployment); <paramref name="extraConfig"/> is appended to the rendered template.</summary>
    public static async Task<LocalMosquitto> StartNewAsync(string? extraConfig = null, CancellationToken cancellationToken = default)
    {
        var broker = new LocalMosquitto(extraConfig, secured: false, tlsListener: null);
        await broker.StartAsync(cancellationToken);
        return broker;
    }

    /// <summary>Starts a broker as deployed: anonymous access refused, the given principals and their ACLs, client id =
    /// user name; optionally with a TLS listener block (see <see cref="TlsListener"/>).</summary>
    public static async Task<LocalMosquitto> StartSecuredAsync(IReadOnlyList<BrokerPrincipal> principals, string? tlsListener = null, CancellationToken cancellationToken = default)
    {
        var broker = new LocalMosquitto(null, secured: true, tlsListener);
        await broker.Access.ApplyAsync(principals, cancellationToken);
        await broker.StartAsync(cancellationToken);
        return broker;
    }

    /// <summary>The TLS listener block of the template, as <c>./fieldlab up</c> renders it when TLS is configured.</summary>
    public static string TlsListener(int port, string caFile, string certFile, string keyFile) =>
        $"listener {port} 127.0.0.1\nuse_username_as_clientid true\ncafile {caFile}\ncertfile {certFile}\nkeyfile {keyFile}\ntls_version tlsv1.2\n";

    /// <summary>Options of the broker's access files, for <see cref="BrokerReloader"/>s of other processes.</summary>
    public BrokerAccessOptions AccessOptions(string keyFile = "") => new()
    {
        Directory = AccessDirectory,
        PidFile = System.IO.Path.Combine(Directory, "mosquitto.pid"),
        Host = "127.0.0.1",
        Port = Port,
        KeyFile = keyFile,
        ReloadTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Connection options for a client of this broker (anonymous unless <paramref name="username"/> is given;
    /// on a secured broker the client id is the user name).</summary>
    public MqttConnectionOptions ClientOptions(string clientId, MqttProtocolVersion version = MqttProtocolVersion.V5, string? username = null, string? password = null) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ClientId = clientId,
        ProtocolVersion = version,
        Username = username,
        Password = password,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Connection options of a principal (client id = user name, as the secured broker enforces).</summary>
    public MqttConnectionOptions ClientOptions(BrokerPrincipal principal, MqttProtocolVersion version = MqttProtocolVersion.V5) =>
        ClientOptions(principal.Username, version, principal.Username, principal.Password);

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
    }

    private static string OpenAccess(string config)
    {
        int begin = config.IndexOf("# access:begin", StringComparison.Ordinal);
        int end = config.IndexOf("# access:end", StringComparison.Ordinal);
        if (begin < 0 || end < begin) throw new InvalidOperationException("mosquitto.conf.template has no '# access:begin' … '# access:end' block.");
        return config[..begin] + "# access: anonymous, for tests of MQTT mechanics only\nallow_anonymous true\n" + config[(end + "# access:end".Length)..];
    }
}
