using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Testing;

namespace Fieldlab.Access.Tests.Broker;

/// <summary>One secured Mosquitto (as deployed: no anonymous access, files rendered by <see cref="BrokerAccessFiles"/>,
/// client id = user name) for the tests of a class; each test applies the plan it needs.</summary>
public sealed class SecuredBrokerFixture : IAsyncLifetime
{
    private static string NewPassword() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <summary>Publishes anywhere under <c>t/</c>.</summary>
    public BrokerPrincipal Writer { get; } = new("writer", NewPassword(), [new TopicRule(TopicAccess.Write, "t/#")]);

    /// <summary>Reads <c>t/a</c> only.</summary>
    public BrokerPrincipal Reader { get; } = new("reader", NewPassword(), [new TopicRule(TopicAccess.Read, "t/a")]);

    /// <summary>Reads everything under <c>t/</c>, writes nothing.</summary>
    public BrokerPrincipal Listener { get; } = new("listener", NewPassword(), [new TopicRule(TopicAccess.Read, "t/#")]);

    /// <summary>Reads and writes under <c>alice/</c>.</summary>
    public BrokerPrincipal Alice { get; } = new("alice", NewPassword(), [new TopicRule(TopicAccess.Read, "alice/#"), new TopicRule(TopicAccess.Write, "alice/#")]);

    /// <summary>Reads and writes under <c>bob/</c>.</summary>
    public BrokerPrincipal Bob { get; } = new("bob", NewPassword(), [new TopicRule(TopicAccess.Read, "bob/#"), new TopicRule(TopicAccess.Write, "bob/#")]);

    /// <summary>The principals every test's plan has.</summary>
    public IReadOnlyList<BrokerPrincipal> Base => [Writer, Reader, Listener, Alice, Bob];

    /// <summary>The broker.</summary>
    public LocalMosquitto Broker { get; private set; } = null!;

    /// <summary>A principal that is in no plan yet.</summary>
    public static BrokerPrincipal Newcomer(string name) => new(name, NewPassword(), [new TopicRule(TopicAccess.Read, $"{name}/#")]);

    /// <inheritdoc />
    public async Task InitializeAsync() => Broker = await LocalMosquitto.StartSecuredAsync(Base);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Broker is not null) await Broker.DisposeAsync();
    }
}

/// <summary><see cref="BrokerReloader"/> and the rendered access files on a real secured Mosquitto: who may connect,
/// what a reload changes, what the ACL lets through, and that the client id is the user name.</summary>
public sealed class BrokerReloaderTests(SecuredBrokerFixture fixture) : IClassFixture<SecuredBrokerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private LocalMosquitto Broker => fixture.Broker;

    private async Task<MqttConnection> ConnectAsync(BrokerPrincipal principal, string? clientId = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var options = Broker.ClientOptions(clientId ?? principal.Username, MqttProtocolVersion.V5, principal.Username, principal.Password);
        return await MqttConnection.ConnectAsync(options, null, timeout.Token);
    }

    private async Task AssertRefusedAsync(MqttConnectionOptions options, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        MqttConnection? connection = null;
        try
        {
            connection = await MqttConnection.ConnectAsync(options, null, timeout.Token);
        }
        catch (MqttException)
        {
            return;
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        Assert.Fail($"{what}: the broker accepted the connection");
    }

    private Task AssertRefusedAsync(BrokerPrincipal principal, string what) =>
        AssertRefusedAsync(Broker.ClientOptions(principal.Username, MqttProtocolVersion.V5, principal.Username, principal.Password), what);

    private async Task ApplyBaseAsync(params BrokerPrincipal[] extra)
    {
        var outcome = await Broker.Access.ApplyAsync([.. fixture.Base, .. extra], CancellationToken.None);
        Assert.True(outcome is BrokerReloadOutcome.Reloaded or BrokerReloadOutcome.Unchanged, $"outcome {outcome}");
    }

    [Fact]
    public async Task Connect_Anonymous_IsRefused()
    {
        await ApplyBaseAsync();
        await AssertRefusedAsync(Broker.ClientOptions("anonymous-" + Guid.NewGuid().ToString("N")[..8]), "anonymous");
    }

    [Fact]
    public async Task Connect_WrongPassword_IsRefused()
    {
        await ApplyBaseAsync();
        await AssertRefusedAsync(fixture.Alice with { Password = fixture.Alice.Password + "x" }, "alice with a wrong password");
        await AssertRefusedAsync(fixture.Alice with { Password = fixture.Bob.Password }, "alice with bob's password");
    }

    [Fact]
    public async Task Connect_PrincipalInPlan_Connects()
    {
        await ApplyBaseAsync();
        await using var connection = await ConnectAsync(fixture.Alice);
        Assert.Equal(MqttConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task ApplyAsync_NewPrincipal_ReloadsAndItCanThenConnect()
    {
        await ApplyBaseAsync();
        var carol = SecuredBrokerFixture.Newcomer("carol");
        await AssertRefusedAsync(carol, "carol before she is in the plan");

        var outcome = await Broker.Access.ApplyAsync([.. fixture.Base, carol], CancellationToken.None);

        Assert.Equal(BrokerReloadOutcome.Reloaded, outcome);
        await using var connection = await ConnectAsync(carol);
        Assert.Equal(MqttConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task ApplyAsync_SamePlanAgain_IsUnchanged_InAnyOrder()
    {
        var dave = SecuredBrokerFixture.Newcomer("dave");
        IReadOnlyList<BrokerPrincipal> plan = [.. fixture.Base, dave];
        Assert.Equal(BrokerReloadOutcome.Reloaded, await Broker.Access.ApplyAsync(plan, CancellationToken.None));
        var acl = await File.ReadAllTextAsync(Broker.AccessOptions().AclFilePath);

        Assert.Equal(BrokerReloadOutcome.Unchanged, await Broker.Access.ApplyAsync(plan, CancellationToken.None));
        Assert.Equal(BrokerReloadOutcome.Unchanged, await Broker.Access.ApplyAsync([.. plan.Reverse()], CancellationToken.None));
        Assert.Equal(acl, await File.ReadAllTextAsync(Broker.AccessOptions().AclFilePath));

        // A changed password is a changed plan.
        Assert.Equal(BrokerReloadOutcome.Reloaded, await Broker.Access.ApplyAsync([.. fixture.Base, dave with { Password = dave.Password + "2" }], CancellationToken.None));
    }

    [Fact]
    public async Task ApplyAsync_PrincipalRemoved_CannotConnectAnyMore()
    {
        var erin = SecuredBrokerFixture.Newcomer("erin");
        await ApplyBaseAsync(erin);
        await using (var before = await ConnectAsync(erin)) Assert.Equal(MqttConnectionState.Connected, before.State);

        Assert.Equal(BrokerReloadOutcome.Reloaded, await Broker.Access.ApplyAsync(fixture.Base, CancellationToken.None));

        await AssertRefusedAsync(erin, "erin after she was removed");
        await using var alice = await ConnectAsync(fixture.Alice); // the others still can
    }

    [Fact]
    public async Task ApplyAsync_PrincipalRemoved_ItsOpenConnectionIsClosedAndStaysOut()
    {
        var frank = SecuredBrokerFixture.Newcomer("frank");
        await ApplyBaseAsync(frank);
        await using var connection = await ConnectAsync(frank);

        Assert.Equal(BrokerReloadOutcome.Reloaded, await Broker.Access.ApplyAsync(fixture.Base, CancellationToken.None));

        // SIGHUP re-checks connected clients: the connection drops, and its reconnects do not get in.
        await Eventually.HoldsAsync(() => Task.FromResult(connection.Statistics.ConnectionLosses >= 1), Patience,
            () => $"{connection.Statistics}, state {connection.State}, last error {connection.LastError}");
        await AssertRefusedAsync(frank, "frank after he was removed");
        Assert.Equal(1, connection.Statistics.Connects);
        Assert.NotEqual(MqttConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task ApplyAsync_ReadRightWithdrawn_OpenSubscriptionStopsDelivering()
    {
        var own = new TopicRule(TopicAccess.Read, "grace/#");
        var grace = new BrokerPrincipal("grace", "grace-" + Guid.NewGuid().ToString("N"), [own, new TopicRule(TopicAccess.Write, "grace/#"), new TopicRule(TopicAccess.Read, "t/a")]);
        await ApplyBaseAsync(grace);
        await using var connection = await ConnectAsync(grace);
        await connection.SubscribeAsync("#", MqttQos.AtLeastOnce, CancellationToken.None);
        await using var writer = await ConnectAsync(fixture.Writer);
        var run = Guid.NewGuid().ToString("N")[..8];
        await writer.PublishAsync("t/a", Encoding.UTF8.GetBytes($"{run}:granted"), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);
        Assert.Equal([$"t/a {run}:granted"], await ReceiveUntilAsync(connection, $"{run}:granted"));

        Assert.Equal(BrokerReloadOutcome.Reloaded, await Broker.Access.ApplyAsync([.. fixture.Base, grace with { Rules = [own, new TopicRule(TopicAccess.Write, "grace/#")] }], CancellationToken.None));
        Assert.Equal(MqttConnectionState.Connected, connection.State);

        // The broker routes a publish before it acknowledges it; grace's own marker comes after in her queue.
        await writer.PublishAsync("t/a", Encoding.UTF8.GetBytes($"{run}:withdrawn"), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);
        await connection.PublishAsync("grace/marker", Encoding.UTF8.GetBytes($"{run}:marker"), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);
        Assert.Equal([$"grace/marker {run}:marker"], await ReceiveUntilAsync(connection, $"{run}:marker"));
        Assert.Equal(0, connection.Statistics.ConnectionLosses);
    }

    [Fact]
    public async Task Acl_ReadRule_DeliversOnlyItsTopic()
    {
        await ApplyBaseAsync();
        await using var reader = await ConnectAsync(fixture.Reader);
        await reader.SubscribeAsync("#", MqttQos.AtLeastOnce, CancellationToken.None);
        await using var writer = await ConnectAsync(fixture.Writer);
        var run = Guid.NewGuid().ToString("N")[..8];

        // Markers on t/b before and between the ones on t/a: the broker keeps one publisher's order, so once the
        // last t/a marker is in, any t/b marker would have arrived before it.
        foreach (var (topic, marker) in new[] { ("t/b", "b1"), ("t/a", "a1"), ("t/b", "b2"), ("t/c", "c1"), ("t/a", "a2") })
            await writer.PublishAsync(topic, Encoding.UTF8.GetBytes($"{run}:{marker}"), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);

        var received = await ReceiveUntilAsync(reader, $"{run}:a2");
        Assert.Equal([$"t/a {run}:a1", $"t/a {run}:a2"], received);
    }

    [Fact]
    public async Task Acl_PublishWithoutWriteRight_IsNotDelivered()
    {
        await ApplyBaseAsync();
        await using var listener = await ConnectAsync(fixture.Listener);
        await listener.SubscribeAsync("t/#", MqttQos.AtLeastOnce, CancellationToken.None);
        await using var reader = await ConnectAsync(fixture.Reader);
        await using var writer = await ConnectAsync(fixture.Writer);
        var run = Guid.NewGuid().ToString("N")[..8];

        // MQTT 5: the broker answers a forbidden QoS 1 publish with a PUBACK "not authorised" (or drops it silently).
        try
        {
            await reader.PublishAsync("t/a", Encoding.UTF8.GetBytes($"{run}:forged"), MqttQos.AtLeastOnce, retain: false, new CancellationTokenSource(Patience).Token);
        }
        catch (MqttException)
        {
            // Refused: fine.
        }
        await writer.PublishAsync("t/a", Encoding.UTF8.GetBytes($"{run}:real"), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);

        var received = await ReceiveUntilAsync(listener, $"{run}:real");
        Assert.Equal([$"t/a {run}:real"], received);
    }

    [Fact]
    public async Task ClientId_SameUserOtherClientId_SecondConnectionTakesOverTheFirst()
    {
        await ApplyBaseAsync();
        var first = await ConnectAsync(fixture.Alice, clientId: "alice-laptop");
        try
        {
            Assert.Equal(0, first.Statistics.ConnectionLosses);
            await using var second = await ConnectAsync(fixture.Alice, clientId: "alice-phone");
            // Different client ids, yet the broker sees both as client "alice": the second session replaces the first.
            await Eventually.HoldsAsync(() => Task.FromResult(first.Statistics.ConnectionLosses >= 1), Patience,
                () => $"the first connection was never taken over: {first.Statistics}, state {first.State}");
            await first.DisposeAsync(); // otherwise the two take each other over for ever
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClientId_AnotherUsersName_DoesNotTakeOverItsSession()
    {
        await ApplyBaseAsync();
        await using var alice = await ConnectAsync(fixture.Alice);
        var topic = $"alice/{Guid.NewGuid():N}";
        await alice.SubscribeAsync(topic, MqttQos.AtLeastOnce, CancellationToken.None);

        // Bob asks for client id "alice": the broker makes it "bob", so Alice keeps her session.
        await using var bob = await ConnectAsync(fixture.Bob, clientId: "alice");
        await alice.PublishAsync(topic, "still here"u8.ToArray(), MqttQos.AtLeastOnce, retain: false, CancellationToken.None);

        var received = await ReceiveUntilAsync(alice, "still here");
        Assert.Equal([$"{topic} still here"], received);
        Assert.Equal(0, alice.Statistics.ConnectionLosses);
        Assert.Equal(MqttConnectionState.Connected, bob.State);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ApplyAsync_BrokerNotRunning_WritesPrivateFiles()
    {
        using var directory = new TempDirectory("fieldlab-broker-access");
        var options = new BrokerAccessOptions { Directory = directory.File("access"), PidFile = directory.File("no.pid"), Port = 1 };
        var reloader = new BrokerReloader(options);

        Assert.Equal(BrokerReloadOutcome.Written, await reloader.ApplyAsync(fixture.Base, CancellationToken.None));
        Assert.Equal(BrokerReloadOutcome.Unchanged, await reloader.ApplyAsync(fixture.Base, CancellationToken.None));

        Assert.Equal(BrokerAccessFiles.PlanHash(fixture.Base), BrokerAccessFiles.RecordedPlanHash(options.AclFilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.PasswordFilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.AclFilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.Directory));
        var passwd = await File.ReadAllLinesAsync(options.PasswordFilePath);
        Assert.DoesNotContain(passwd, l => fixture.Base.Any(p => l.Contains(p.Password, StringComparison.Ordinal)));
        var alice = passwd.Single(l => l.StartsWith("alice:", StringComparison.Ordinal));
        Assert.True(MosquittoPasswordHash.Verify(alice["alice:".Length..], fixture.Alice.Password));
    }

    /// <summary>"topic payload" of every message until (and with) the one whose payload is <paramref name="last"/>.</summary>
    private static async Task<List<string>> ReceiveUntilAsync(MqttConnection connection, string last)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<string>();
        try
        {
            while (true)
            {
                var message = await connection.Messages.ReadAsync(timeout.Token);
                var payload = Encoding.UTF8.GetString(message.Payload);
                received.Add($"{message.Topic} {payload}");
                if (payload == last) return received;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{last}' never arrived; received: [{string.Join(", ", received)}]");
        }
    }
}
