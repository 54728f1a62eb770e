using System.Diagnostics;
using Fieldlab.Access.Broker;
using Fieldlab.Deploy.Tests.Compose;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Deploy.Tests.Broker;

/// <summary>The broker configurations of deploy/compose and deploy/systemd, run by a real Mosquitto: anonymous refused,
/// the rendered users in over plain MQTT and TLS, new access files read after a change the way the API is configured to
/// make the broker read them, and the compose healthcheck telling a secured broker from a stopped one.</summary>
public sealed class BrokerConfigTests
{
    private static readonly BrokerPrincipal Service = new("svc.deploy-1", "deploy-password-1", [new TopicRule(TopicAccess.Read, "t/#"), new TopicRule(TopicAccess.Write, "t/#")]);
    private static readonly BrokerPrincipal Added = new("svc.deploy-2", "deploy-password-2", [new TopicRule(TopicAccess.Read, "t/#")]);

    [Theory]
    [InlineData("compose")]
    [InlineData("systemd")]
    public async Task BrokerConfig_RunByMosquitto_RefusesAnonymousAdmitsUsersOverPlainAndTlsAndReloadsAfterAChange(string deployment)
    {
        await using var broker = deployment == "compose" ? DeployedMosquitto.Compose() : DeployedMosquitto.Systemd();
        // The API as deployed beside this broker: its BrokerAccess settings, with the paths moved as the broker's are.
        var api = ApiBrokerSettings(deployment);
        Assert.Equal(api["BrokerAccess__Directory"], broker.DeployedAccessDirectory);
        var access = new BrokerReloader(new BrokerAccessOptions
        {
            Directory = broker.AccessDirectory,
            PidFile = api.TryGetValue("BrokerAccess__PidFile", out var pid) ? broker.Moved(pid) : "",
            ReloadCommand = api.GetValueOrDefault("BrokerAccess__ReloadCommand", ""),
            Host = "127.0.0.1",
            Port = broker.PlainPort,
            KeyFile = "unused",
        });
        // Provisioning writes the files before the broker starts.
        await new BrokerReloader(new BrokerAccessOptions { Directory = broker.AccessDirectory, KeyFile = "unused" }).ApplyAsync([Service], CancellationToken.None);
        await broker.StartAsync();

        await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker.PlainPort, null, null, "anonymous-1"));
        await using (await ConnectAsync(broker.PlainPort, Service)) { }
        await using (await ConnectAsync(broker.TlsPort, Service, broker.CaFile)) { }
        await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker.PlainPort, Added));

        // What the API does after a change of rights: rewrite the files, make the broker read them, wait for its probe user.
        Assert.Equal(BrokerReloadOutcome.Reloaded, await access.ApplyAsync([Service, Added], CancellationToken.None));
        await using (await ConnectAsync(broker.PlainPort, Added)) { }

        Assert.Equal(0, await HealthcheckAsync(broker.PlainPort));
        await broker.StopAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, await HealthcheckAsync(broker.PlainPort));
    }

    [Fact]
    public async Task ComposeBroker_FilesRewrittenByAnotherContainer_AreReadWithoutASignal()
    {
        await using var broker = DeployedMosquitto.Compose();
        // The CLI in the provision container: it writes the files and cannot signal the broker (no pid file, no command).
        var cli = new BrokerReloader(new BrokerAccessOptions { Directory = broker.AccessDirectory, KeyFile = "unused" });
        await cli.ApplyAsync([Service], CancellationToken.None);
        await broker.StartAsync();
        await Assert.ThrowsAsync<MqttException>(() => ConnectAsync(broker.PlainPort, Added));

        Assert.Equal(BrokerReloadOutcome.Written, await cli.ApplyAsync([Service, Added], CancellationToken.None));

        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await using var connection = await ConnectAsync(broker.PlainPort, Added);
                return true;
            }
            catch (MqttException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), () => broker.Tail());
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

    // The API's BrokerAccess settings as deployed: compose.yaml's api environment, or the systemd env file.
    private static Dictionary<string, string> ApiBrokerSettings(string deployment)
    {
        if (deployment == "compose")
            return ComposeFile.Current().Parse().Root["services"]!["api"]!["environment"]!.AsObject()
                .Where(kv => kv.Key.StartsWith("BrokerAccess__", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        return File.ReadAllLines(RepositoryRoot.File("deploy", "systemd", "env", "api.env"))
            .Where(l => l.StartsWith("BrokerAccess__", StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }
}
