using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The secured API on the <see cref="MatrixTenancy"/>, with its own InfluxDB, broker, ingest and OIDC issuer,
/// every rig announced by its own gateway principal (which also answers fault commands), and the data markers written.
/// One instance per metadata-store provider.</summary>
public abstract class AccessFixture : IAsyncLifetime
{
    private readonly Dictionary<RigAddress, MqttConnection> _gateways = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _responders = [];

    /// <summary>The tenancy.</summary>
    public MatrixTenancy Tenancy { get; } = new();

    /// <summary>The API.</summary>
    public ApiUnderTest Api { get; private set; } = null!;

    /// <summary>The database server.</summary>
    public LocalInfluxDb Influx { get; private set; } = null!;

    /// <summary>Every rig's gateway connection (its own broker principal), which answers commands.</summary>
    public IReadOnlyDictionary<RigAddress, MqttConnection> Gateways => _gateways;

    /// <summary>Everything the gateways received (rig, topic, payload), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(RigAddress Rig, string Topic, byte[] Payload)> GatewayReceived { get; } = new();

    /// <summary>A database client with the admin's rights (for data the tests put in place, not the path it came by).</summary>
    public Fieldlab.Telemetry.Influx.InfluxClient InfluxAdmin => _influxAdmin ??= new(Influx.ClientOptions(Api.Database));

    private Fieldlab.Telemetry.Influx.InfluxClient? _influxAdmin;

    /// <summary>The tests' identity provider.</summary>
    public OidcIssuer Oidc { get; private set; } = null!;

    /// <summary>The metadata store to run on (null: SQLite in the API's state directory).</summary>
    protected abstract Task<MetadataStoreOptions?> StoreAsync();

    /// <summary>The provider's name, for messages.</summary>
    public abstract string Provider { get; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Influx = await LocalInfluxDb.StartNewAsync();
        Oidc = await OidcIssuer.StartAsync();
        Api = await ApiUnderTest.StartAsync(Influx, await StoreAsync(), Tenancy.SeedAsync, withIngest: true, oidc: Oidc);
        using (var admin = new Fieldlab.Telemetry.Influx.InfluxClient(Influx.ClientOptions(Api.Database))) await Tenancy.WriteMarkersAsync(admin);
        foreach (var (site, rig) in MatrixTenancy.Rigs)
        {
            var address = new RigAddress(site, rig);
            var gateway = await MqttConnection.ConnectAsync(Api.BrokerLogin(PrincipalNames.Gateway(address)), null, CancellationToken.None);
            _gateways[address] = gateway;
            await gateway.PublishAsync(FieldlabTopic.For(address, TopicChannel.Birth), WireJson.Encode(MatrixTenancy.Birth()), MqttQos.AtLeastOnce, true, CancellationToken.None);
            await gateway.PublishAsync(FieldlabTopic.For(address, TopicChannel.State), Encoding.UTF8.GetBytes("{\"v\":1,\"state\":\"online\"}"), MqttQos.AtLeastOnce, true, CancellationToken.None);
            await gateway.SubscribeAsync(FieldlabTopic.CommandsOf(address), MqttQos.AtLeastOnce, CancellationToken.None);
            _responders.Add(AnswerCommandsAsync(gateway, address));
        }
        // The API knows the rigs once their births arrived.
        var directory = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Fieldlab.Telemetry.Rigs.RigDirectory>(Api.Factory.Services);
        await Fieldlab.Testing.Eventually.HoldsAsync(() => Task.FromResult(directory.All.Count(r => r.Birth is not null) >= MatrixTenancy.Rigs.Length), TimeSpan.FromSeconds(30));
    }

    // A gateway stand-in: every command it receives is answered as carried out (the gateway's own checks are tested
    // in the gateway's suites; here only who may send a command matters).
    private async Task AnswerCommandsAsync(MqttConnection gateway, RigAddress rig)
    {
        try
        {
            await foreach (var message in gateway.Messages.ReadAllAsync(_stop.Token))
            {
                GatewayReceived.Enqueue((rig, message.Topic, message.Payload));
                if (!message.Topic.EndsWith("/cmd/fault", StringComparison.Ordinal) || !WireJson.TryDecodeFaultCommand(message.Payload, out var command, out _)) continue;
                var reply = new CommandReply(command!.Id, true, "matrix stand-in", new Dictionary<string, double>());
                gateway.TryPublish(FieldlabTopic.For(rig, TopicChannel.CommandReply), WireJson.Encode(reply), MqttQos.AtLeastOnce, false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var g in _gateways.Values) await g.DisposeAsync();
        await Task.WhenAll(_responders);
        _influxAdmin?.Dispose();
        if (Api is not null) await Api.DisposeAsync();
        if (Oidc is not null) await Oidc.DisposeAsync();
        if (Influx is not null) await Influx.DisposeAsync();
        await DisposeStoreAsync();
    }

    /// <summary>Stops what <see cref="StoreAsync"/> started.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;
}

/// <summary>The access fixture on the embedded SQLite store.</summary>
public sealed class SqliteAccessFixture : AccessFixture
{
    /// <inheritdoc />
    public override string Provider => "sqlite";

    /// <inheritdoc />
    protected override Task<MetadataStoreOptions?> StoreAsync() => Task.FromResult<MetadataStoreOptions?>(null);
}

/// <summary>The access fixture on a real PostgreSQL server.</summary>
public sealed class PostgresAccessFixture : AccessFixture
{
    private LocalPostgres? _postgres;

    /// <inheritdoc />
    public override string Provider => "postgres";

    /// <inheritdoc />
    protected override async Task<MetadataStoreOptions?> StoreAsync()
    {
        _postgres = await LocalPostgres.StartNewAsync();
        await _postgres.CreateDatabaseAsync("fieldlab_matrix");
        return new MetadataStoreOptions { Provider = "postgres", ConnectionString = _postgres.ConnectionString("fieldlab_matrix") };
    }

    /// <inheritdoc />
    protected override async Task DisposeStoreAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
