using System.Net.Sockets;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.LocalServers;

/// <summary>A real Mosquitto broker on a free loopback port, configured from deploy/local/mosquitto.conf.template.</summary>
public sealed class LocalMosquitto : ServerProcess
{
    private LocalMosquitto(string? extraConfig) : base("mosquitto")
    {
        Port = FreePort.Next();
        var config = Render("mosquitto.conf.template", new Dictionary<string, string>
        {
            ["PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA_DIR"] = Directory,
            ["LOG_FILE"] = LogFile,
            ["USER"] = Environment.UserName,
        });
        File.WriteAllText(System.IO.Path.Combine(Directory, "mosquitto.conf"), config + "\n" + (extraConfig ?? ""));
    }

    /// <summary>The broker's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <inheritdoc />
    protected override string CommandLine => $"mosquitto -c '{System.IO.Path.Combine(Directory, "mosquitto.conf")}'";

    /// <summary>Starts a broker; <paramref name="extraConfig"/> is appended to the rendered template.</summary>
    public static async Task<LocalMosquitto> StartNewAsync(string? extraConfig = null, CancellationToken cancellationToken = default)
    {
        var broker = new LocalMosquitto(extraConfig);
        await broker.StartAsync(cancellationToken);
        return broker;
    }

    /// <summary>Connection options for a client of this broker.</summary>
    public MqttConnectionOptions ClientOptions(string clientId, MqttProtocolVersion version = MqttProtocolVersion.V5) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        ClientId = clientId,
        ProtocolVersion = version,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
    }
}
