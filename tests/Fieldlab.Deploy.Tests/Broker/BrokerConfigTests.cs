using System.Diagnostics;
using Fieldlab.Access.Broker;
using Fieldlab.Deploy.Tests.Compose;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Deploy.Tests.Broker;

/// <summary>The broker configurations of deploy/compose and deploy/systemd, run by a real Mosquitto: anonymous refused,
/// the rendered users in over plain MQTT and TLS, the access files re-read on SIGHUP through the pid file the API is
/// configured with, and the compose healthcheck telling a secured broker from a missing one.</summary>
public sealed class BrokerConfigTests
{
    private static readonly BrokerPrincipal Service = new("svc.deploy-1", "deploy-password-1", [new TopicRule(TopicAccess.Read, "t/#"), new TopicRule(TopicAccess.Write, "t/#")]);
    private static readonly BrokerPrincipal Added = new("svc.deploy-2", "deploy-password-2", [new TopicRule(TopicAccess.Read, "t/#")]);

    [Theory]
    [InlineData("compose/mosquitto/mosquitto.conf", "compose")]
    [InlineData("systemd/mosquitto/mosquitto.conf", "systemd/env/api.env")]
    public async Task BrokerConfig_RunByMosquitto_RefusesAnonymousAdmitsUsersOverPlainAndTlsAndReloadsOnSighup(string config, string apiSettings)
    {
        await using var broker = DeployedMosquitto.From(RepositoryRoot.File("deploy", config));
        Assert.Equal(ApiPidFile(apiSettings), broker.DeployedPidFile);
        var access = new BrokerReloader(new BrokerAccessOptions
        {
            Directory = broker.AccessDirectory,
            PidFile = broker.PidFile,
            Host = "127.0.0.1",
            Port = broker.PlainPort,
            KeyFile = "unused",
        });
        Assert.Equal(BrokerReloadOutcome.Written, await access.ApplyAsync([Service], CancellationToken.None));
        await broker.StartAsync();

        await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker.PlainPort, null, null, "anonymous-1"));
        await using (await ConnectAsync(broker.PlainPort, Service)) { }
        await using (await ConnectAsync(broker.TlsPort, Service, broker.CaFile)) { }
        await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker.PlainPort, Added));

        // What the API does after a change of rights: rewrite the files, SIGHUP the pid file, wait for the probe user.
        Assert.Equal(BrokerReloadOutcome.Reloaded, await access.ApplyAsync([Service, Added], CancellationToken.None));
        await using (await ConnectAsync(broker.PlainPort, Added)) { }

        Assert.Equal(0, await HealthcheckAsync(broker.PlainPort));
        await broker.StopAsync();
        Assert.NotEqual(0, await HealthcheckAsync(broker.PlainPort));
    }

    private static Task<MqttConnection> ConnectAsync(int port, BrokerPrincipal principal, string? caFile = null) =>
        ConnectAsync(port, principal.Username, principal.Password, principal.Username, caFile);

    private static async Task<MqttConnection> ConnectAsync(int port, string? user, string? password, string clientId, string? caFile = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await MqttConnection.ConnectAsync(new MqttConnectionOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = clientId,
            Username = user,
            Password = password,
            Tls = caFile is null ? null : new MqttTlsOptions { CaFile = caFile },
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
            DisposeFlushTimeout = TimeSpan.Zero,
        }, null, timeout.Token);
    }

    // The compose file's mosquitto healthcheck, pointed at the test's port.
    private static async Task<int> HealthcheckAsync(int port)
    {
        var test = ComposeFile.Current().Parse().Root["services"]!["mosquitto"]!["healthcheck"]!["test"]!.AsArray();
        Assert.Equal("CMD-SHELL", test[0]!.GetValue<string>());
        var command = test[1]!.GetValue<string>();
        Assert.Contains("-p 1883 ", command, StringComparison.Ordinal);
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command.Replace("-p 1883 ", $"-p {port} ", StringComparison.Ordinal) }, UseShellExecute = false };
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/usr/bin";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    // BrokerAccess:PidFile as the API is deployed with it: compose.yaml's api environment, or the systemd env file.
    private static string ApiPidFile(string settings)
    {
        if (settings == "compose")
            return ComposeFile.Current().Parse().Root["services"]!["api"]!["environment"]!["BrokerAccess__PidFile"]!.GetValue<string>();
        var line = File.ReadAllLines(RepositoryRoot.File("deploy", settings)).Single(l => l.StartsWith("BrokerAccess__PidFile=", StringComparison.Ordinal));
        return line["BrokerAccess__PidFile=".Length..];
    }
}
