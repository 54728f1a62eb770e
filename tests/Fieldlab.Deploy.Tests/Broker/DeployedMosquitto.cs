using System.Net.Sockets;
using System.Text.RegularExpressions;
using Fieldlab.LocalServers;

namespace Fieldlab.Deploy.Tests.Broker;

/// <summary>A real Mosquitto run with one of deploy/'s broker configurations (and, for compose, its run.sh), its paths
/// moved into a temporary directory and its listeners onto free loopback ports; everything else as deployed.</summary>
internal sealed partial class DeployedMosquitto : ServerProcess
{
    private readonly string _certs;
    private readonly string? _runScript;

    private DeployedMosquitto(string deployed, string? runScript) : base("deploy-mosquitto")
    {
        _runScript = runScript;
        PlainPort = FreePort.Next();
        TlsPort = FreePort.Next();
        _certs = System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "certs")).FullName;
        TestCertificates.WriteInto(_certs);
        CaFile = System.IO.Path.Combine(_certs, "ca.crt");
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, "state"));
        DeployedAccessDirectory = System.IO.Path.GetDirectoryName(PasswordFileLine().Match(deployed).Groups[1].Value)!;
        AccessDirectory = Moved(DeployedAccessDirectory);

        string config = PlainListener().Replace(deployed, $"listener {PlainPort} 127.0.0.1");
        config = Moved(TlsListener().Replace(config, $"listener {TlsPort} 127.0.0.1"));
        // Every deployed path must have been moved: a new one in the configuration has to be added to Moved.
        var left = DeployedPath().Match(string.Join('\n', config.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))));
        if (left.Success) throw new InvalidOperationException($"The broker configuration names '{left.Value}', which this test does not move.");
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

    /// <summary>The directory of passwd and acl as the deployed configuration names it.</summary>
    public string DeployedAccessDirectory { get; }

    /// <summary>That directory, moved.</summary>
    public string AccessDirectory { get; }

    /// <summary>The rewritten configuration.</summary>
    public string ConfigFile { get; }

    /// <inheritdoc />
    protected override string CommandLine => _runScript is null
        ? $"mosquitto -c '{ConfigFile}'"
        : $"env FIELDLAB_BROKER_ACCESS_DIR='{AccessDirectory}' /bin/sh '{_runScript}' '{ConfigFile}'";

    /// <summary>Prepares (does not start) the compose broker: its configuration, run by its run.sh.</summary>
    public static DeployedMosquitto Compose() =>
        new(File.ReadAllText(RepositoryRoot.File("deploy", "compose", "mosquitto", "mosquitto.conf")), RepositoryRoot.File("deploy", "compose", "mosquitto", "run.sh"));

    /// <summary>Prepares (does not start) the systemd broker: its configuration, run by mosquitto itself.</summary>
    public static DeployedMosquitto Systemd() => new(File.ReadAllText(RepositoryRoot.File("deploy", "systemd", "mosquitto", "mosquitto.conf")), null);

    /// <summary>A deployed path in the test's directory.</summary>
    public string Moved(string deployed) => deployed
        .Replace("/var/lib/fieldlab/mosquitto/access", System.IO.Path.Combine(Directory, "access"), StringComparison.Ordinal)
        .Replace("/var/lib/fieldlab/mosquitto/", System.IO.Path.Combine(Directory, "state") + "/", StringComparison.Ordinal)
        .Replace("/mosquitto/certs/", _certs + "/", StringComparison.Ordinal)
        .Replace("/etc/fieldlab/mqtt-tls/", _certs + "/", StringComparison.Ordinal);

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

    [GeneratedRegex(@"^password_file (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PasswordFileLine();

    [GeneratedRegex(@"(/var/lib/fieldlab|/run/|/mosquitto/|/etc/fieldlab)\S*")]
    private static partial Regex DeployedPath();
}
