using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Demo;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Broker;

/// <summary><see cref="BrokerAccessPlan.BuildAsync"/> on a SQLite store seeded with the demo tenancy: the principals, the
/// topics each may read and write (checked with MQTT's filter matching), when the plan changes next, and the plan on a
/// real secured broker.</summary>
public sealed class BrokerAccessPlanTests(DemoStoreFixture demo) : IClassFixture<DemoStoreFixture>, IAsyncLifetime
{
    private static readonly DateTime Seeded = DemoStoreFixture.Seeded;
    private static readonly BrokerAccessPlan Plan = new(new MqttPasswords([.. Enumerable.Range(1, 32).Select(i => (byte)i)]), new RigPolicy(RightsTable.Current));
    private TestStore _store = null!;

    private static string Topic(string rig, string channel) => $"fieldlab/{DemoTenancy.Site}/{rig}/{channel}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Assert.Equal(5, demo.Passwords.Count);
        _store = await demo.CopyAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<(Dictionary<string, BrokerPrincipal> Principals, DateTime? NextChange)> BuildAsync(DateTime now)
    {
        await using var scope = _store.Scope();
        var (principals, next) = await Plan.BuildAsync(scope.Db, now, CancellationToken.None);
        Assert.Equal(principals.Count, principals.Select(p => p.Username).Distinct().Count());
        return (principals.ToDictionary(p => p.Username), next);
    }

    [Fact]
    public async Task BuildAsync_DemoStore_HasEveryPrincipalAndNoOther()
    {
        var (principals, _) = await BuildAsync(Seeded);
        string[] expected =
        [
            "gw.techport.pump-1", "gw.techport.motor-1", "gw.techport.electrolyser-1", "gw.techport.fuelcell-1",
            "svc.ingest-1", "svc.ingest-1-backlog", "svc.ingest-1-models", "svc.api-1",
            "admin", "docent", "student", "anna", "bart",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), principals.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuildAsync_Passwords_AreDerivedPerPrincipal()
    {
        var (principals, _) = await BuildAsync(Seeded);
        var ingest = new[] { "svc.ingest-1", "svc.ingest-1-backlog", "svc.ingest-1-models" }.Select(n => principals[n].Password).Distinct().ToList();
        Assert.Single(ingest); // one replica, one password, three connections
        var others = principals.Values.Where(p => !p.Username.StartsWith("svc.ingest-1", StringComparison.Ordinal)).Select(p => p.Password).Append(ingest[0]).ToList();
        Assert.Equal(others.Count, others.Distinct().Count());
        Assert.Equal(Plan.PasswordOf("student", 0), principals["student"].Password);
        Assert.NotEqual(Plan.PasswordOf("student", 1), principals["student"].Password);
        Assert.All(principals.Values, p => Assert.True(p.Password.Length >= 32, $"{p.Username}: short password"));
    }

    [Fact]
    public async Task BuildAsync_Gateways_WriteOnlyUnderTheirOwnRig()
    {
        var (principals, _) = await BuildAsync(Seeded);
        foreach (var (rig, _) in DemoTenancy.Rigs)
        {
            var rules = principals[$"gw.techport.{rig}"].Rules;
            Assert.All(rules, r => Assert.StartsWith($"fieldlab/techport/{rig}/", r.Topic, StringComparison.Ordinal));
            foreach (var channel in new[] { "birth", "state", "samples", "waveform", "truth", "health", "backlog/samples", "backlog/waveform", "cmd/reply" })
                Assert.True(TopicFilters.Allows(rules, TopicAccess.Write, Topic(rig, channel)), $"{rig}'s gateway may not write {channel}");
            foreach (var channel in new[] { "ack", "cmd/fault", "alerts", "deadletter" })
                Assert.False(TopicFilters.Allows(rules, TopicAccess.Write, Topic(rig, channel)), $"{rig}'s gateway may write its own {channel}");
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, "ack")));
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, "cmd/fault")));
            Assert.False(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, "samples")));
            foreach (var (other, _) in DemoTenancy.Rigs.Where(r => r.Rig != rig))
            {
                Assert.False(TopicFilters.Allows(rules, TopicAccess.Write, Topic(other, "samples")), $"{rig}'s gateway may write {other}'s samples");
                Assert.False(TopicFilters.Allows(rules, TopicAccess.Read, Topic(other, "cmd/fault")), $"{rig}'s gateway may read {other}'s commands");
            }
        }
    }

    [Fact]
    public async Task BuildAsync_Services_GetTheirKindsRights()
    {
        var (principals, _) = await BuildAsync(Seeded);
        foreach (var name in new[] { "svc.ingest-1", "svc.ingest-1-backlog", "svc.ingest-1-models" })
        {
            var rules = principals[name].Rules;
            Assert.Equal(TopicRights.Ingest(), rules);
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic("pump-1", "samples")));
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Write, Topic("pump-1", "ack")));
            Assert.False(TopicFilters.Allows(rules, TopicAccess.Write, Topic("pump-1", "cmd/fault")), "ingest may not command rigs");
        }
        var api = principals["svc.api-1"].Rules;
        Assert.Equal(TopicRights.Api(), api);
        Assert.True(TopicFilters.Allows(api, TopicAccess.Write, Topic("motor-1", "cmd/fault")));
        // The API reads the live lanes for the console's streams (filtered per viewer), but never the truth, and writes no data.
        Assert.True(TopicFilters.Allows(api, TopicAccess.Read, Topic("motor-1", "samples")));
        Assert.False(TopicFilters.Allows(api, TopicAccess.Read, Topic("motor-1", "truth")));
        Assert.False(TopicFilters.Allows(api, TopicAccess.Write, Topic("motor-1", "samples")));
    }

    [Fact]
    public async Task BuildAsync_Student_ReadsTeachingRigsData_NotTruth_AndOfPilotRigsOnlyBirthAndState()
    {
        var (principals, _) = await BuildAsync(Seeded.AddHours(1));
        var rules = principals["student"].Rules;
        Assert.All(rules, r => Assert.Equal(TopicAccess.Read, r.Access));
        foreach (var rig in new[] { "motor-1", "fuelcell-1" })
        {
            foreach (var channel in TopicRights.DataChannels.Concat(TopicRights.StatusChannels))
                Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, channel)), $"student cannot read {rig}/{channel}");
            foreach (var channel in TopicRights.TruthChannels)
                Assert.False(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, channel)), $"student reads unreleased {rig}/{channel}");
        }
        foreach (var rig in new[] { "pump-1", "electrolyser-1" })
        {
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, "birth")));
            Assert.True(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, "state")));
            foreach (var channel in TopicRights.DataChannels.Concat(TopicRights.TruthChannels).Append("cmd/fault").Append("ack"))
                Assert.False(TopicFilters.Allows(rules, TopicAccess.Read, Topic(rig, channel)), $"student reads pilot rig {rig}/{channel}");
        }
    }

    [Fact]
    public async Task BuildAsync_StudentAfterTruthRelease_ReadsTheTruth()
    {
        await using (var scope = _store.Scope())
        {
            var motor = await scope.Db.Rigs.SingleAsync(r => r.RigId == "motor-1");
            motor.TruthReleasedUntil = DateTime.MaxValue;
            await scope.Db.SaveChangesAsync();
        }
        var (principals, next) = await BuildAsync(Seeded.AddHours(1));
        Assert.True(TopicFilters.Allows(principals["student"].Rules, TopicAccess.Read, Topic("motor-1", "truth")));
        Assert.False(TopicFilters.Allows(principals["student"].Rules, TopicAccess.Read, Topic("fuelcell-1", "truth")));
        Assert.Null(next);
    }

    [Fact]
    public async Task BuildAsync_CompanyMember_ReadsItsPilotRigOnly()
    {
        var (principals, _) = await BuildAsync(Seeded.AddHours(1));
        var anna = principals["anna"].Rules;
        foreach (var channel in TopicRights.DataChannels.Concat(TopicRights.TruthChannels).Concat(TopicRights.StatusChannels))
            Assert.True(TopicFilters.Allows(anna, TopicAccess.Read, Topic("pump-1", channel)), $"anna cannot read pump-1/{channel}");
        foreach (var rig in new[] { "electrolyser-1", "motor-1", "fuelcell-1" })
        {
            foreach (var channel in TopicRights.DataChannels.Concat(TopicRights.TruthChannels).Concat(TopicRights.StatusChannels))
                Assert.False(TopicFilters.Allows(anna, TopicAccess.Read, Topic(rig, channel)), $"anna reads {rig}/{channel}");
        }
        Assert.False(TopicFilters.Allows(anna, TopicAccess.Write, Topic("pump-1", "cmd/fault")));
        Assert.True(TopicFilters.Allows(principals["bart"].Rules, TopicAccess.Read, Topic("electrolyser-1", "samples")));
        Assert.False(TopicFilters.Allows(principals["bart"].Rules, TopicAccess.Read, Topic("pump-1", "birth")));
    }

    [Fact]
    public async Task BuildAsync_Instructor_ReadsAPilotRigsDataOnlyWhileShared()
    {
        var now = Seeded.AddHours(1);
        var (before, _) = await BuildAsync(now);
        Assert.True(TopicFilters.Allows(before["docent"].Rules, TopicAccess.Read, Topic("motor-1", "truth")));
        Assert.True(TopicFilters.Allows(before["docent"].Rules, TopicAccess.Read, Topic("pump-1", "state")));
        Assert.False(TopicFilters.Allows(before["docent"].Rules, TopicAccess.Read, Topic("pump-1", "samples")));

        await using (var scope = _store.Scope())
        {
            var pilot = await scope.Db.Pilots.SingleAsync(p => p.OrganisationId == "pilot-a");
            await PilotBook.SetSharingAsync(scope.Db, pilot.Id, true, CancellationToken.None);
        }
        var (after, _) = await BuildAsync(now);
        Assert.True(TopicFilters.Allows(after["docent"].Rules, TopicAccess.Read, Topic("pump-1", "samples")));
        Assert.False(TopicFilters.Allows(after["docent"].Rules, TopicAccess.Read, Topic("electrolyser-1", "samples")));
        Assert.False(TopicFilters.Allows(after["student"].Rules, TopicAccess.Read, Topic("pump-1", "samples")), "sharing is with instructors only");
    }

    [Fact]
    public async Task BuildAsync_Administrator_ReadsEveryChannelButTheCommands_WritesNothing()
    {
        var (principals, _) = await BuildAsync(Seeded);
        var admin = principals["admin"].Rules;
        Assert.True(TopicFilters.Allows(admin, TopicAccess.Read, Topic("pump-1", "truth")));
        Assert.True(TopicFilters.Allows(admin, TopicAccess.Read, Topic("pump-1", "ack")));
        Assert.True(TopicFilters.Allows(admin, TopicAccess.Read, Topic("pump-1", "cmd/reply")));
        Assert.True(TopicFilters.Allows(admin, TopicAccess.Read, "fieldlab/_system/deadletter"));
        Assert.False(TopicFilters.Allows(admin, TopicAccess.Read, Topic("pump-1", "cmd/fault")));
        Assert.True(TopicFilters.Allows(admin, TopicAccess.Read, "$SYS/broker/clients/connected"));
        Assert.DoesNotContain(admin, r => r.Access == TopicAccess.Write);
    }

    [Fact]
    public async Task BuildAsync_NextChange_IsTheNextPilotBoundary()
    {
        var (_, demo) = await BuildAsync(Seeded.AddMinutes(1));
        Assert.Null(demo); // both demo pilots started at seeding and are open-ended

        await using (var scope = _store.Scope())
        {
            await PilotBook.CreateAsync(scope.Db, "pilot-b", "motor pilot", [new RigAddress(DemoTenancy.Site, "motor-1")],
                Seeded.AddHours(2), Seeded.AddHours(5), false, Seeded, CancellationToken.None);
            var pumpPilot = await scope.Db.Pilots.SingleAsync(p => p.OrganisationId == "pilot-a");
            await PilotBook.EndAsync(scope.Db, pumpPilot.Id, Seeded.AddHours(8), CancellationToken.None);
        }

        var (at1, next1) = await BuildAsync(Seeded.AddHours(1));
        Assert.Equal(Seeded.AddHours(2), next1);
        Assert.True(TopicFilters.Allows(at1["student"].Rules, TopicAccess.Read, Topic("motor-1", "samples")));
        Assert.False(TopicFilters.Allows(at1["bart"].Rules, TopicAccess.Read, Topic("motor-1", "samples")));

        var (at2, next2) = await BuildAsync(Seeded.AddHours(2));
        Assert.Equal(Seeded.AddHours(5), next2);
        Assert.False(TopicFilters.Allows(at2["student"].Rules, TopicAccess.Read, Topic("motor-1", "samples")), "the pilot window has begun");
        Assert.True(TopicFilters.Allows(at2["bart"].Rules, TopicAccess.Read, Topic("motor-1", "samples")));

        var (at5, next5) = await BuildAsync(Seeded.AddHours(5));
        Assert.Equal(Seeded.AddHours(8), next5);
        Assert.True(TopicFilters.Allows(at5["student"].Rules, TopicAccess.Read, Topic("motor-1", "samples")), "the pilot window has ended");
        Assert.False(TopicFilters.Allows(at5["bart"].Rules, TopicAccess.Read, Topic("motor-1", "samples")));
        Assert.True(TopicFilters.Allows(at5["bart"].Rules, TopicAccess.Read, Topic("motor-1", "birth")), "an ended pilot's rig stays visible");

        var (at8, next8) = await BuildAsync(Seeded.AddHours(8));
        Assert.Null(next8);
        Assert.True(TopicFilters.Allows(at8["student"].Rules, TopicAccess.Read, Topic("pump-1", "samples")), "pump-1 is a teaching rig again");
        Assert.False(TopicFilters.Allows(at8["anna"].Rules, TopicAccess.Read, Topic("pump-1", "samples")));
    }

    [Fact]
    public async Task BuildAsync_NextChange_CountsAFutureTruthRelease()
    {
        await using (var scope = _store.Scope())
        {
            var motor = await scope.Db.Rigs.SingleAsync(r => r.RigId == "motor-1");
            motor.TruthReleasedUntil = Seeded.AddHours(3);
            await scope.Db.SaveChangesAsync();
        }
        var (at1, next) = await BuildAsync(Seeded.AddHours(1));
        Assert.Equal(Seeded.AddHours(3), next);
        Assert.True(TopicFilters.Allows(at1["student"].Rules, TopicAccess.Read, Topic("motor-1", "truth")));
        var (at3, _) = await BuildAsync(Seeded.AddHours(3));
        Assert.False(TopicFilters.Allows(at3["student"].Rules, TopicAccess.Read, Topic("motor-1", "truth")), "live truth after the release moment is not released");
    }

    [Fact]
    public async Task BuildAsync_ServiceNamedLikeAnIngestConnection_NeverSharesItsBrokerUser()
    {
        // svc.ingest-1-models is ingest-1's third connection; a service called "ingest-1-models" would be the same broker user.
        await using var scope = _store.Scope();
        try
        {
            await SiteRegistry.EnsureServiceAsync(scope.Db, "ingest-1-models", ServiceKind.Api, Seeded, CancellationToken.None);
        }
        catch (TenancyException)
        {
            return; // refused: fine
        }
        var (principals, _) = await Plan.BuildAsync(scope.Db, Seeded, CancellationToken.None);
        var duplicates = principals.GroupBy(p => p.Username).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"two principals share the broker user(s) {string.Join(", ", duplicates)}");
    }

    [Fact]
    public async Task BuildAsync_DemoPlanOnARealBroker_DeliversExactlyWhatThePlanGrants()
    {
        var (principals, _) = await BuildAsync(Seeded.AddHours(1));
        await using var broker = await LocalMosquitto.StartSecuredAsync([.. principals.Values]);
        async Task<MqttConnection> Connect(string name) =>
            await MqttConnection.ConnectAsync(broker.ClientOptions(principals[name]), null, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        await using var student = await Connect("student");
        await using var anna = await Connect("anna");
        await using var admin = await Connect("admin");
        await using var ingest = await Connect("svc.ingest-1");
        await student.SubscribeAsync("fieldlab/#", MqttQos.AtLeastOnce, CancellationToken.None);
        await anna.SubscribeAsync("fieldlab/#", MqttQos.AtLeastOnce, CancellationToken.None);
        await admin.SubscribeAsync("fieldlab/#", MqttQos.AtLeastOnce, CancellationToken.None);
        await ingest.SubscribeAsync("$share/ingest/fieldlab/+/+/samples", MqttQos.AtLeastOnce, CancellationToken.None);
        await using var pump = await Connect("gw.techport.pump-1");
        await using var motor = await Connect("gw.techport.motor-1");

        var run = Guid.NewGuid().ToString("N")[..8];
        async Task Publish(MqttConnection gateway, string rig, string channel)
        {
            try
            {
                await gateway.PublishAsync(Topic(rig, channel), Encoding.UTF8.GetBytes(run), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);
            }
            catch (MqttException)
            {
                // A refused publish (the forged one): what matters is that nobody receives it.
            }
        }
        // One after the other, each acknowledged before the next: a message the broker routes reaches every
        // subscriber's queue in this order, so what arrives before a subscriber's last expected message is all it gets.
        await Publish(pump, "motor-1", "samples"); // forged: not pump-1's gateway's rig
        await Publish(motor, "motor-1", "samples");
        await Publish(pump, "pump-1", "samples");
        await Publish(pump, "pump-1", "truth");
        await Publish(motor, "motor-1", "truth");
        await Publish(pump, "pump-1", "state");
        await Publish(motor, "motor-1", "state");

        string T(string rig, string channel) => Topic(rig, channel) + " " + run;
        Assert.Equal([T("motor-1", "samples"), T("pump-1", "state"), T("motor-1", "state")], await ReceiveUntilAsync(student, T("motor-1", "state")));
        Assert.Equal([T("pump-1", "samples"), T("pump-1", "truth"), T("pump-1", "state")], await ReceiveUntilAsync(anna, T("pump-1", "state")));
        Assert.Equal([T("motor-1", "samples"), T("pump-1", "samples"), T("pump-1", "truth"), T("motor-1", "truth"), T("pump-1", "state"), T("motor-1", "state")],
            await ReceiveUntilAsync(admin, T("motor-1", "state")));
        Assert.Equal([T("motor-1", "samples"), T("pump-1", "samples")], await ReceiveUntilAsync(ingest, T("pump-1", "samples")));
    }

    private static async Task<List<string>> ReceiveUntilAsync(MqttConnection connection, string last)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<string>();
        try
        {
            while (true)
            {
                var message = await connection.Messages.ReadAsync(timeout.Token);
                received.Add($"{message.Topic} {Encoding.UTF8.GetString(message.Payload)}");
                if (received[^1] == last) return received;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{last}' never arrived at {connection.ClientId}; received: [{string.Join(", ", received)}]");
        }
    }
}

/// <summary>MQTT topic filter matching, as Mosquitto applies an ACL line to a topic.</summary>
internal static class TopicFilters
{
    /// <summary>True if a rule of <paramref name="access"/> in <paramref name="rules"/> matches <paramref name="topic"/>.</summary>
    public static bool Allows(IEnumerable<TopicRule> rules, TopicAccess access, string topic) =>
        rules.Any(r => r.Access == access && Matches(r.Topic, topic));

    /// <summary>True if <paramref name="filter"/> (with <c>+</c> and <c>#</c>) matches <paramref name="topic"/>.</summary>
    public static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        if (t[0].StartsWith('$') && (f[0] == "#" || f[0] == "+")) return false; // wildcards never match $ topics
        for (int i = 0; i < f.Length; i++)
        {
            if (f[i] == "#") return true;
            if (i >= t.Length) return false;
            if (f[i] != "+" && f[i] != t[i]) return false;
        }
        return f.Length == t.Length;
    }
}
