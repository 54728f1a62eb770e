using Fieldlab.Access.Broker;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Secrets;
using Fieldlab.Access.Store;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Cli.Access;

/// <summary>What the access commands work with: the metadata store (SQLite under the state directory by default, or
/// the PostgreSQL of <c>FIELDLAB_METADATA_PROVIDER=postgres</c> / <c>FIELDLAB_METADATA_CONNECTION</c>), Identity's user
/// manager on it, the broker password key, and the broker's access files.</summary>
public sealed class AccessContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;

    private AccessContext(StateLayout layout, MetadataStoreOptions store, int brokerPort)
    {
        Layout = layout;
        Store = store;
        _services = MetadataStore.BuildServices(store);
        _scope = _services.CreateAsyncScope();
        Passwords = MqttPasswords.FromKeyText(SecretFiles.ReadOrCreate(layout.MqttKey));
        Plan = new BrokerAccessPlan(Passwords, new RigPolicy(RightsTable.Current));
        Broker = new BrokerAccessOptions
        {
            Directory = layout.BrokerAccess,
            PidFile = layout.BrokerPidFile,
            Host = "127.0.0.1",
            Port = brokerPort,
            KeyFile = layout.MqttKey,
        };
    }

    /// <summary>The state layout.</summary>
    public StateLayout Layout { get; }

    /// <summary>The store's options.</summary>
    public MetadataStoreOptions Store { get; }

    /// <summary>A context on the store.</summary>
    public MetadataDb Db => _scope.ServiceProvider.GetRequiredService<MetadataDb>();

    /// <summary>Identity's user manager.</summary>
    public UserManager<FieldlabUser> Users => _scope.ServiceProvider.GetRequiredService<UserManager<FieldlabUser>>();

    /// <summary>Broker passwords.</summary>
    public MqttPasswords Passwords { get; }

    /// <summary>The broker plan.</summary>
    public BrokerAccessPlan Plan { get; }

    /// <summary>The broker's access files.</summary>
    public BrokerAccessOptions Broker { get; }

    /// <summary>Opens the store of <paramref name="stateDirectory"/> (migrating it to the current schema).</summary>
    public static async Task<AccessContext> OpenAsync(string stateDirectory, int brokerPort, CancellationToken cancellationToken)
    {
        var layout = new StateLayout(stateDirectory);
        var provider = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PROVIDER") ?? "sqlite";
        var store = new MetadataStoreOptions
        {
            Provider = provider,
            ConnectionString = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_CONNECTION")
                ?? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = layout.MetadataDatabase }.ToString(),
            PasswordFile = Environment.GetEnvironmentVariable("FIELDLAB_METADATA_PASSWORD_FILE"),
        };
        var problems = store.Validate().ToList();
        if (problems.Count > 0) throw new UsageException("metadata store: " + string.Join(" ", problems));
        await MetadataStore.MigrateAsync(store, cancellationToken);
        return new AccessContext(layout, store, brokerPort);
    }

    /// <summary>Renders the broker's files from the store and makes a running broker read them.</summary>
    public async Task<BrokerReloadOutcome> ApplyBrokerAccessAsync(CancellationToken cancellationToken)
    {
        var (principals, _) = await Plan.BuildAsync(Db, DateTime.UtcNow, cancellationToken);
        return await new BrokerReloader(Broker).ApplyAsync(principals, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }
}
