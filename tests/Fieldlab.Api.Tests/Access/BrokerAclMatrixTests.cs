using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Api.Broker;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The broker's ACLs as a matrix, with real clients: a marker is published on every channel of every rig by
/// the principal entitled to publish it; every person and gateway, subscribed to <c>#</c>, must receive exactly the
/// markers its rights allow — a granted SUBACK proves nothing (Mosquitto 2.0 grants a forbidden subscription and filters
/// at delivery). Anonymous clients are refused; forbidden publishes are refused (MQTT 5: PUBACK 135) or dropped
/// (3.1.1) and never reach ingest or the database. Run once per metadata-store provider.</summary>
public abstract class BrokerAclMatrixTests(AccessFixture fixture)
{
    private static readonly string[] GatewayChannels = ["samples", "waveform", "truth", "health", "backlog/samples", "backlog/truth", "cmd/reply"];
    private static readonly string[] IngestChannels = ["ack", "deadletter", "alerts"];

    [Fact]
    public async Task EveryPrincipal_ReceivesExactlyTheMarkersItsRightsAllow()
    {
        // A publisher for ingest's channels and one for commands, registered as services in the store; the API's own
        // sync worker renders them into the broker's files.
        await fixture.Api.WithStoreAsync(async (db, _) =>
        {
            await SiteRegistry.EnsureServiceAsync(db, "acl-ingest", ServiceKind.Ingest, DateTime.UtcNow, CancellationToken.None);
            await SiteRegistry.EnsureServiceAsync(db, "acl-api", ServiceKind.Api, DateTime.UtcNow, CancellationToken.None);
        });
        await fixture.Api.Factory.Services.GetRequiredService<BrokerAccessSync>().ApplyNowAsync(CancellationToken.None);
        await using var ingest = await MqttConnection.ConnectAsync(fixture.Api.BrokerLogin("svc.acl-ingest"), null, CancellationToken.None);
        await using var api = await MqttConnection.ConnectAsync(fixture.Api.BrokerLogin("svc.acl-api"), null, CancellationToken.None);

        var run = _run;
        var received = new Dictionary<string, ConcurrentBag<string>>();
        var subscribers = new List<MqttConnection>();
        var readers = new List<Task>();
        foreach (var person in MatrixTenancy.People.Keys)
        {
            var bag = received[person] = [];
            var client = await MqttConnection.ConnectAsync(fixture.Api.BrokerLogin(person), null, CancellationToken.None);
            subscribers.Add(client);
            await client.SubscribeAsync("#", MqttQos.AtLeastOnce, CancellationToken.None);
            readers.Add(Task.Run(async () =>
            {
                await foreach (var m in client.Messages.ReadAllAsync()) bag.Add(Label(m));
            }));
        }
        foreach (var (rig, gateway) in fixture.Gateways) await gateway.SubscribeAsync("#", MqttQos.AtLeastOnce, CancellationToken.None);
        var before = fixture.GatewayReceived.Count;

        // The markers: every rig, every channel, each from its rightful publisher.
        var markers = new List<string>();
        foreach (var (rig, gateway) in fixture.Gateways)
        {
            foreach (var channel in GatewayChannels)
            {
                var topic = $"fieldlab/{rig.Site}/{rig.Rig}/{channel}";
                await gateway.PublishAsync(topic, Encoding.UTF8.GetBytes($"acl-{run}"), MqttQos.AtLeastOnce, false, CancellationToken.None);
                markers.Add(topic);
            }
            foreach (var channel in IngestChannels)
            {
                var topic = $"fieldlab/{rig.Site}/{rig.Rig}/{channel}";
                await ingest.PublishAsync(topic, Encoding.UTF8.GetBytes($"acl-{run}"), MqttQos.AtLeastOnce, false, CancellationToken.None);
                markers.Add(topic);
            }
            var command = $"fieldlab/{rig.Site}/{rig.Rig}/cmd/fault";
            await api.PublishAsync(command, Encoding.UTF8.GetBytes($"acl-{run}"), MqttQos.AtLeastOnce, false, CancellationToken.None);
            markers.Add(command);
        }

        var expected = MatrixTenancy.People.Keys.ToDictionary(p => p, p => Expected(p, markers));
        var failures = new List<string>();
        await Eventually.HoldsAsync(() => Task.FromResult(expected.All(e => e.Value.All(received[e.Key].Contains))), TimeSpan.FromSeconds(30),
            () => string.Join("\n", expected.Select(e => $"{e.Key} misses {string.Join(", ", e.Value.Where(x => !received[e.Key].Contains(x)))}")));
        // Everything allowed has arrived; give whatever must not come the same chance to arrive before checking it did not.
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var (person, want) in expected)
        {
            var got = received[person].Where(l => l.EndsWith(" acl", StringComparison.Ordinal) || l.EndsWith("(retained)", StringComparison.Ordinal)).ToHashSet();
            var leaked = got.Except(want).Order().ToList();
            if (leaked.Count > 0) failures.Add($"{person} received what it may not: {string.Join(", ", leaked)}");
        }
        // Gateways: only their own acknowledgements and commands (and their own replies, which they published).
        var gatewayGot = fixture.GatewayReceived.Skip(before).Where(g => Encoding.UTF8.GetString(g.Payload) == $"acl-{run}").ToList();
        foreach (var (rig, topic, _) in gatewayGot)
        {
            var own = $"fieldlab/{rig.Site}/{rig.Rig}/";
            if (topic != own + "ack" && topic != own + "cmd/fault" && topic != own + "cmd/reply") failures.Add($"gateway of {rig} received {topic}");
        }
        foreach (var rig in fixture.Gateways.Keys)
        {
            var own = $"fieldlab/{rig.Site}/{rig.Rig}/";
            if (!gatewayGot.Any(g => g.Rig == rig && g.Topic == own + "ack")) failures.Add($"gateway of {rig} did not receive its ack");
            if (!gatewayGot.Any(g => g.Rig == rig && g.Topic == own + "cmd/fault")) failures.Add($"gateway of {rig} did not receive its command");
        }
        foreach (var s in subscribers) await s.DisposeAsync();
        await Task.WhenAll(readers);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Anonymous_IsRefused_AndForbiddenPublishesAreRefusedOrDropped_AndNeverReachTheDatabase()
    {
        // Anonymous, with the broker's own command-line clients.
        var anonymous = await RunAsync("mosquitto_sub", "-h", "127.0.0.1", "-p", fixture.Api.Broker.Port.ToString(), "-t", "#", "-C", "1", "-W", "3");
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("not authorised", anonymous.Output, StringComparison.OrdinalIgnoreCase);
        var wrong = await RunAsync("mosquitto_pub", "-h", "127.0.0.1", "-p", fixture.Api.Broker.Port.ToString(), "-u", "student", "-P", "wrong", "-t", "x", "-m", "1");
        Assert.NotEqual(0, wrong.ExitCode);

        // A student stages a fault by raw MQTT, and a gateway publishes as another rig: MQTT 5 says "not authorised".
        var student = fixture.Api.BrokerLogin("student");
        var refused = await RunAsync("mosquitto_pub", "-V", "5", "-q", "1", "-h", "127.0.0.1", "-p", student.Port.ToString(), "-u", "student", "-P", student.Password!,
            "-t", "fieldlab/techport/motor-1/cmd/fault", "-m", """{"id":"x","action":"start","fault":"bearing_outer","severity":0.9}""");
        Assert.Contains("not authori", refused.Output, StringComparison.OrdinalIgnoreCase);
        var pump = fixture.Gateways[new RigAddress("techport", "pump-1")];
        var forged = await Assert.ThrowsAsync<MqttException>(() => pump.PublishAsync("fieldlab/techport/motor-1/samples", Encoding.UTF8.GetBytes("{}"), MqttQos.AtLeastOnce, false, CancellationToken.None));
        Assert.Contains("135", forged.Code.ToString() + forged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.GatewayReceived, g => g.Topic == "fieldlab/techport/motor-1/cmd/fault" && Encoding.UTF8.GetString(g.Payload).Contains("\"id\":\"x\"", StringComparison.Ordinal));

        // Under MQTT 3.1.1 a forbidden publish is dropped silently; it must not reach ingest. A sentinel published after
        // it by the rig's own gateway is stored; the forbidden one, published first on the same topic, is not.
        var oldNs = UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow.AddDays(-3));
        string Sample(long seq, double value) => $"{{\"stream\":\"process\",\"seq\":{seq},\"samples\":[{{\"t\":\"{UtcTimestamp.Format(oldNs + seq)}\",\"flow\":{value}}}]}}";
        var dropped = await RunAsync("mosquitto_pub", "-V", "311", "-q", "1", "-h", "127.0.0.1", "-p", student.Port.ToString(), "-u", "student", "-P", student.Password!,
            "-t", "fieldlab/techport/motor-1/samples", "-m", Sample(900_001, 666));
        Assert.Equal(0, dropped.ExitCode); // the broker does not tell a 3.1.1 client
        await fixture.Gateways[new RigAddress("techport", "motor-1")].PublishAsync("fieldlab/techport/motor-1/samples", Encoding.UTF8.GetBytes(Sample(900_002, 777)), MqttQos.AtLeastOnce, false, CancellationToken.None);
        using var influx = new InfluxClient(fixture.Influx.ClientOptions(fixture.Api.Database));
        await Eventually.HoldsAsync(async () => (await influx.QueryAsync(new InfluxQuery($"SELECT flow FROM {FieldlabSchema.Samples.ReadSources} WHERE rig = 'motor-1' AND seq = 900002"), CancellationToken.None)).Single is not null,
            TimeSpan.FromSeconds(30), () => fixture.Api.Ingest!.Tail());
        Assert.Null((await influx.QueryAsync(new InfluxQuery($"SELECT flow FROM {FieldlabSchema.Samples.ReadSources} WHERE flow = 666"), CancellationToken.None)).Single);
    }

    // What a person may receive: docs/access.md's broker section, written out by hand.
    private static HashSet<string> Expected(string person, IEnumerable<string> markers)
    {
        var result = new HashSet<string>();
        foreach (var (site, rig) in MatrixTenancy.Rigs)
        {
            var (data, truth, status) = Rights(person, site, rig);
            if (status)
            {
                result.Add($"fieldlab/{site}/{rig}/birth (retained)");
                result.Add($"fieldlab/{site}/{rig}/state (retained)");
            }
            foreach (var topic in markers.Where(m => m.StartsWith($"fieldlab/{site}/{rig}/", StringComparison.Ordinal)))
            {
                var channel = topic[$"fieldlab/{site}/{rig}/".Length..];
                bool allowed = (person == "admin" && channel != "cmd/fault")
                    || (data && channel is "samples" or "waveform" or "backlog/samples" or "health" or "alerts")
                    || (truth && channel is "truth" or "backlog/truth" or "cmd/reply");
                if (allowed) result.Add(topic + " " + "acl");
            }
        }
        return result;
    }

    // (data now, truth now, status) of a person on a rig, at this moment: pump-1 and spare-1 are in pilot-a's running
    // pilots, electrolyser-1's pilot has ended (teaching again), fuelcell-1's truth is released only up to T1 (past).
    private static (bool Data, bool Truth, bool Status) Rights(string person, string site, string rig)
    {
        bool running = rig is "pump-1" or "spare-1";
        return person switch
        {
            "admin" => (true, true, true),
            "docent" or "student" when site == "techport" => (!running, person == "docent" && !running, true),
            "docent2" or "student2" when site == "other" => (true, person == "docent2", true),
            "anna" when rig is "pump-1" or "spare-1" => (true, true, true),
            "bart" when rig == "electrolyser-1" => (false, false, true),
            _ => (false, false, false),
        };
    }

    private string Label(MqttMessage m) => m.Retain ? $"{m.Topic} (retained)" : $"{m.Topic} {(Encoding.UTF8.GetString(m.Payload) == $"acl-{_run}" ? "acl" : "other")}";

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}

/// <summary>The ACL matrix with the store on SQLite.</summary>
[Collection("access-sqlite")]
public sealed class BrokerAclMatrixOnSqliteTests(SqliteAccessFixture fixture) : BrokerAclMatrixTests(fixture);

/// <summary>The ACL matrix with the store on PostgreSQL.</summary>
[Collection("access-postgres")]
public sealed class BrokerAclMatrixOnPostgresTests(PostgresAccessFixture fixture) : BrokerAclMatrixTests(fixture);
