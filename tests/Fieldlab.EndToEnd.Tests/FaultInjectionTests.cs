using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests;

[Collection("servers")]
public sealed class FaultInjectionTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FaultStartedByCommand_IsAppliedAndItsGroundTruthStored_WhileBadCommandsChangeNothing()
    {
        await using var platform = await Platform.StartAsync(servers);
        using var dir = new TempDirectory("faults");
        var rig = new RigAddress(platform.Site, "motor-1");
        var config = GatewayConfigFile.Parse($$"""
            site: {{platform.Site}}
            rig: motor-1
            {{await platform.GatewayBrokerYamlAsync("motor-1")}}
            simulation: { kind: motor, seed: 4, rate_hz: 5, waveform_rate_hz: 12800, waveform_axes: 2, waveform_frame: 1024 }
            publish: { batch_interval: 200ms }
            buffer: { dir: '{{dir.Path}}' }
            """, "motor.yaml");
        var motor = new MotorRig(4, 5, 12800, 2);
        var gateway = new RigGateway(config, motor, TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        // The gateway's own checks of what reaches it, with the API's broker rights (commands to the rig, its replies).
        await using var client = await MqttConnection.ConnectAsync(await platform.ClientAsync("commander",
            new TopicRule(TopicAccess.Write, $"fieldlab/{platform.Site}/motor-1/cmd/+"), new TopicRule(TopicAccess.Read, $"fieldlab/{platform.Site}/motor-1/cmd/reply")), null, CancellationToken.None);
        await client.SubscribeAsync(FieldlabTopic.For(rig, TopicChannel.CommandReply), MqttQos.AtLeastOnce, CancellationToken.None);
        await gateway.ListeningForCommands.WaitAsync(Patience);

        async Task<CommandReply> SendAsync(string verb, string json)
        {
            await client.PublishAsync($"fieldlab/{platform.Site}/motor-1/cmd/{verb}", Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce, false, CancellationToken.None);
            using var timeout = new CancellationTokenSource(Patience);
            var message = await client.Messages.ReadAsync(timeout.Token);
            Assert.True(WireJson.TryDecodeCommandReply(message.Payload, out var reply, out var error), error);
            return reply!;
        }

        var unknown = await SendAsync("reboot", "{}");
        Assert.False(unknown.Ok);
        Assert.Contains("Unknown command 'reboot'", unknown.Detail);
        var malformed = await SendAsync("fault", "{\"action\":\"start\",");
        Assert.False(malformed.Ok);
        var wrongRig = await SendAsync("fault", """{"id":"x1","action":"start","fault":"cavitation","severity":0.5}""");
        Assert.False(wrongRig.Ok);
        Assert.Contains("no fault 'cavitation'", wrongRig.Detail);
        Assert.Equal(0, motor.Condition.OuterRace);

        // An instructor stages the fault the way the issue asks: through the API, which publishes with its own credentials
        // and returns the gateway's reply.
        using var posted = await platform.Instructor.PostAsync(platform.Rig("motor-1", "faults"),
            new StringContent("""{"id":"lab-3","action":"start","fault":"bearing_outer","severity":0.4,"progression_per_hour":0.1}""", Encoding.UTF8, "application/json"));
        var body = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.IsSuccessStatusCode, body);
        Assert.True(WireJson.TryDecodeCommandReply(Encoding.UTF8.GetBytes(body), out var started, out _));
        Assert.True(started!.Ok, started.Detail);
        Assert.Equal(0.4, started.Active["bearing_outer"]);
        Assert.InRange(motor.Condition.OuterRace, 0.4, 0.401); // progressing at 0.1 per hour since

        Assert.StartsWith("lab-3-", started.Id);
        var apiReply = await client.Messages.ReadAsync(); // the reply also went out on cmd/reply
        Assert.Contains("lab-3-", Encoding.UTF8.GetString(apiReply.Payload));

        using var influx = platform.Influx();
        await Eventually.HoldsAsync(async () =>
        {
            var truth = await influx.QueryAsync(new InfluxQuery("SELECT action, severity, command_id FROM fault_truth WHERE rig = $rig AND fault = $fault").Bind("rig", "motor-1").Bind("fault", "bearing_outer"), CancellationToken.None);
            return truth.Single is { } s && s.Rows.Any(r => r[s.ColumnIndex("action")].GetString() == "start" && r[s.ColumnIndex("command_id")].GetString() == started.Id);
        }, Patience);
        var others = await influx.QueryAsync(new InfluxQuery("SELECT count(severity) FROM fault_truth WHERE rig = $rig AND fault != $fault").Bind("rig", "motor-1").Bind("fault", "bearing_outer"), CancellationToken.None);
        Assert.Empty(others.Series);

        // The waveform path: raw frames in the bounded retention policy, features per axis for good.
        await Eventually.HoldsAsync(async () =>
        {
            var features = await influx.QueryAsync(new InfluxQuery("SELECT count(rms) FROM waveform_features WHERE rig = $rig GROUP BY axis").Bind("rig", "motor-1"), CancellationToken.None);
            var raw = await influx.QueryAsync(new InfluxQuery("SELECT count(count) FROM waveform_raw.waveform WHERE rig = $rig").Bind("rig", "motor-1"), CancellationToken.None);
            return features.Series.Count == 2 && raw.Single is not null;
        }, Patience);

        // Ingest's confirmations reach the gateway: its buffer does not grow.
        await Eventually.HoldsAsync(() => Task.FromResult(gateway.BufferStatistics is { OldestUnconfirmedNs: var oldest } s
            && (oldest == 0 || DateTimeOffset.UtcNow - UtcTimestamp.FromNanoseconds(oldest) < TimeSpan.FromSeconds(5))), Patience);
        // The command and the gateway's reply are in the site's audit log, under the instructor's name.
        var audit = await platform.Instructor.GetStringAsync($"/api/sites/{platform.Site}/audit");
        Assert.Contains("\"action\":\"fault.command\"", audit);
        Assert.Contains("\"actor\":\"docent\"", audit);
        Assert.Contains(started.Id!, audit);
        await gateway.StopAsync(CancellationToken.None);
    }
}
