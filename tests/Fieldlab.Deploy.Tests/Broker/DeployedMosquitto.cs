using System.Net.Sockets;
using System.Text.RegularExpressions;
using Fieldlab.LocalServers;

namespace Fieldlab.Deploy.Tests.Broker;

/// <summary>A real Mosquitto run with one of deploy/'s broker configurations, its paths and ports moved into a temporary
/// directory and free loopback ports; everything else as deployed.</summary>
internal sealed partial class DeployedMosquitto : ServerProcess
{
    private DeployedMosquitto(string deployed) : base("deploy-mosquitto")
    {
        PlainPort = FreePort.Next();
        TlsPort = FreePort.Next();
        DeployedPidFile = PidFileLine().Match(deployed).Groups[1].Value;
        var certs = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "certs")).FullName;
        TestCertificates.WriteInto(certs);
        CaFile = System.IO.Path.Combine(certs, "ca.crt");
        AccessDirectory = System.IO.Path.Combine(Directory, "access");
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "state"));
        string config = PlainListener().Replace(deployed, $"listener {PlainPort} 127.0.0.1");
        config = TlsListener().Replace(config, $"listener {TlsPort} 127.0.0.1");
        config = config
            .Replace("/var/lib/fieldlab/mosquitto/access/", AccessDirectory + "/", StringComparison.Ordinal)
            .Replace("/var/lib/fieldlab/mosquitto/", System.IO.Path.Combine(Directory, "state") + "/", StringComparison.Ordinal)
            .Replace("/mosquitto/certs/", certs + "/", StringComparison.Ordinal)
            .Replace("/etc/fieldlab/mqtt-tls/", certs + "/", StringComparison.Ordinal);
        // Every deployed path must have been moved: a new one in the configuration has to be added above.
        var left = DeployedPath().Match(string.Join('\n', config.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))));
        if (left.Success) throw new InvalidOperationException($"The broker configuration names '{left.Value}', which this test does not move.");
        PidFile = PidFileLine().Match(config).Groups[1].Value;
        // Started as root (CI), Mosquitto would switch to user "mosquitto" and not read the 0600 files; deployed, it runs
        // as their owner from the start (compose: user 1654; systemd: User=fieldlab).
        config += $"\nuser {Environment.UserName}\n";
        ConfigFile = System.IO.Path.Combine(Directory, "mosquitto.conf");
        File.WriteAllText(ConfigFile, config);
    }

    /// <summary>The plain listener on 127.0.0.1.</summary>
    public int PlainPort { get; }

    /// <summary>The TLS listener on 127.0.0.1.</summary>
    public int TlsPort { get; }

    /// <summary>The CA that signed the server's certificate.</summary>
    public string CaFile { get; }

    /// <summary>Where passwd and acl are.</summary>
    public string AccessDirectory { get; }

    /// <summary>The pid file, moved.</summary>
    public string PidFile { get; }

    /// <summary>The pid file as the deployed configuration names it.</summary>
    public string DeployedPidFile { get; }

    /// <summary>The rewritten configuration.</summary>
    public string ConfigFile { get; }

    /// <inheritdoc />
    protected override string CommandLine => $"mosquitto -c '{ConfigFile}'";

    /// <summary>Prepares (does not start) a broker from the configuration at <paramref name="path"/>.</summary>
    public static DeployedMosquitto From(string path) => new(File.ReadAllText(path));

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", PlainPort, cancellationToken);
    }

    [GeneratedRegex(@"^listener 1883( 127\.0\.0\.1)?$", RegexOptions.Multiline)]
    private static partial Regex PlainListener();

    [GeneratedRegex(@"^listener 8883$", RegexOptions.Multiline)]
    private static partial Regex TlsListener();

    [GeneratedRegex(@"^pid_file (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PidFileLine();

    [GeneratedRegex(@"(/var/lib/fieldlab|/run/fieldlab|/mosquitto/|/etc/fieldlab)\S*")]
    private static partial Regex DeployedPath();
}
