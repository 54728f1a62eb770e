using System.Net.Http.Headers;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Rigs;
using Fieldlab.Api.Tests.Access;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests;

/// <summary>The API as deployed, on real servers: its own secured broker whose passwd/acl files the API's own sync
/// worker keeps (SIGHUP to the broker's pid file), its own metadata store (SQLite file, or a fresh database on a
/// PostgreSQL server), its own InfluxDB database read with a read-only user, optionally an ingest process and the
/// tests' OpenID Connect issuer.</summary>
public sealed class ApiUnderTest : IAsyncDisposable
{
    private readonly TempDirectory _state;

    private ApiUnderTest(TempDirectory state, MetadataStoreOptions store, LocalMosquitto broker, MqttPasswords passwords, string database)
    {
        _state = state;
        Store = store;
        Broker = broker;
        Passwords = passwords;
        Database = database;
    }

    /// <summary>The metadata store.</summary>
    public MetadataStoreOptions Store { get; }

    /// <summary>The broker (secured).</summary>
    public LocalMosquitto Broker { get; }

    /// <summary>Broker passwords (the API's key).</summary>
    public MqttPasswords Passwords { get; }

    /// <summary>The InfluxDB database of this API.</summary>
    public string Database { get; }

    /// <summary>The API.</summary>
    public WebApplicationFactory<RigDirectoryListener> Factory { get; private set; } = null!;

    /// <summary>The ingest process, if started.</summary>
    public ServiceProcess? Ingest { get; private set; }

    /// <summary>Starts it all: <paramref name="seed"/> fills the store before the broker and the API start.</summary>
    public static async Task<ApiUnderTest> StartAsync(LocalInfluxDb influx, MetadataStoreOptions? store, Func<MetadataDb, UserManager<FieldlabUser>, Task> seed,
        bool withIngest = false, OidcIssuer? oidc = null, IDictionary<string, string?>? settings = null)
    {
        var state = new TempDirectory("api-state");
        store ??= new MetadataStoreOptions { Provider = "sqlite", ConnectionString = $"Data Source={state.File("metadata.db")}" };
        await MetadataStore.MigrateAsync(store, CancellationToken.None);
        await using (var provider = MetadataStore.BuildServices(store))
        await using (var scope = provider.CreateAsyncScope())
        {
            await seed(scope.ServiceProvider.GetRequiredService<MetadataDb>(), scope.ServiceProvider.GetRequiredService<UserManager<FieldlabUser>>());
        }
        var keyFile = state.File("mqtt.key");
        var keyText = Fieldlab.Access.Secrets.SecretFiles.ReadOrCreate(keyFile);
        var passwords = MqttPasswords.FromKeyText(keyText);
        var database = "api_" + Guid.NewGuid().ToString("N")[..10];

        // The broker starts with the store's plan; from then on the API's own sync worker keeps the files.
        IReadOnlyList<BrokerPrincipal> principals;
        await using (var db = MetadataStore.Open(store))
        {
            principals = (await new BrokerAccessPlan(passwords, new RigPolicy(RightsTable.Current)).BuildAsync(db, DateTime.UtcNow, CancellationToken.None)).Principals;
        }
        var broker = await LocalMosquitto.StartSecuredAsync(principals);
        var api = new ApiUnderTest(state, store, broker, passwords, database);
        try
        {
            await api.StartServicesAsync(influx, principals, oidc, settings, withIngest, keyFile);
        }
        catch
        {
            await api.DisposeAsync(); // no broker or ingest process outlives a failed start
            throw;
        }
        return api;
    }

    private async Task StartServicesAsync(LocalInfluxDb influx, IReadOnlyList<BrokerPrincipal> principals, OidcIssuer? oidc, IDictionary<string, string?>? settings,
        bool withIngest, string keyFile)
    {
        var api = this;
        var state = _state;
        var store = Store;
        var broker = Broker;
        var database = Database;
        await influx.CreateUserAsync(database, $"reader_{database}", "reader-" + database, "READ");

        string? ingestUrl = null;
        var ingestKey = SecuredIngest.NewServiceKey();
        if (withIngest && principals.FirstOrDefault(p => p.Username.StartsWith("svc.ingest", StringComparison.Ordinal) && !p.Username.Contains("-backlog") && !p.Username.Contains("-models")) is { } ingestPrincipal)
        {
            int port = FreePort.Next();
            var secured = await SecuredIngest.PrepareAsync(state.File("ingest"), broker.Port, ingestPrincipal, influx, database, ingestKey);
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            secured["Urls"] = $"http://127.0.0.1:{port}";
            secured["Ingest:SpoolDirectory"] = state.File("spool");
            secured["Ingest:QuarantineDirectory"] = state.File("quarantine");
            secured["Ingest:SharedGroup"] = database;
            api.Ingest = await ServiceProcess.StartNewAsync("Ingest", secured, async ct => (await probe.GetAsync($"http://127.0.0.1:{port}/healthz", ct)).EnsureSuccessStatusCode(),
                typeof(ApiUnderTest).Assembly);
            ingestUrl = $"http://127.0.0.1:{port}";
        }
        await File.WriteAllTextAsync(state.File("api-ingest.key"), ingestKey);

        var apiPrincipal = principals.First(p => p.Username.StartsWith("svc.api", StringComparison.Ordinal));
        var configuration = new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = broker.Port.ToString(),
            ["Mqtt:ClientId"] = apiPrincipal.Username,
            ["Mqtt:Username"] = apiPrincipal.Username,
            ["Mqtt:Password"] = apiPrincipal.Password,
            ["Influx:Url"] = influx.Url,
            ["Influx:Database"] = database,
            ["Influx:Username"] = $"reader_{database}",
            ["Influx:Password"] = "reader-" + database,
            ["Influx:MaxRetries"] = "0",
            ["Metadata:Provider"] = store.Provider,
            ["Metadata:ConnectionString"] = store.ConnectionString,
            ["BrokerAccess:Directory"] = broker.AccessDirectory,
            ["BrokerAccess:PidFile"] = broker.AccessOptions().PidFile,
            ["BrokerAccess:Port"] = broker.Port.ToString(),
            ["BrokerAccess:KeyFile"] = keyFile,
            ["IngestService:Url"] = ingestUrl ?? $"http://127.0.0.1:{FreePort.Next()}",
            ["IngestService:KeyFile"] = state.File("api-ingest.key"),
            ["DataProtection:Directory"] = state.File("dataprotection"),
        };
        if (oidc is not null)
        {
            configuration["Oidc:Authority"] = oidc.Url;
            configuration["Oidc:Audience"] = OidcIssuer.Audience;
            configuration["Oidc:RequireHttpsMetadata"] = "false";
            configuration["Oidc:RoleMap:teacher"] = "Instructor";
            configuration["Oidc:RoleMap:learner"] = "Student";
            configuration["Oidc:Site"] = "techport";
            configuration["Oidc:RefreshInterval"] = "00:00:01";
            configuration["Oidc:ClockSkew"] = "00:00:00";
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) configuration[k] = v;
        api.Factory = new WebApplicationFactory<RigDirectoryListener>().WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(configuration)));
        api.Factory.CreateClient().Dispose(); // start it now
    }

    /// <summary>A client without credentials (and with its own cookie jar).</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>A client sending <c>Authorization: Bearer {token}</c>.</summary>
    public HttpClient Client(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new personal token of <paramref name="userName"/>.</summary>
    public async Task<string> TokenAsync(string userName, TimeSpan? lifetime = null)
    {
        await using var db = MetadataStore.Open(Store);
        var user = db.Users.Single(u => u.UserName == userName);
        return (await ApiTokens.CreateAsync(db, user.Id, "test", lifetime ?? TimeSpan.FromHours(2), DateTime.UtcNow, CancellationToken.None)).Text;
    }

    /// <summary>Runs <paramref name="change"/> on the store (with Identity's user manager).</summary>
    public async Task WithStoreAsync(Func<MetadataDb, UserManager<FieldlabUser>, Task> change)
    {
        await using var provider = MetadataStore.BuildServices(Store);
        await using var scope = provider.CreateAsyncScope();
        await change(scope.ServiceProvider.GetRequiredService<MetadataDb>(), scope.ServiceProvider.GetRequiredService<UserManager<FieldlabUser>>());
    }

    /// <summary>The broker login of a person or machine principal (generation 0).</summary>
    public Fieldlab.Telemetry.Mqtt.MqttConnectionOptions BrokerLogin(string username) =>
        Broker.ClientOptions(username, username: username, password: Passwords.For(username, 0));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (Ingest is not null) await Ingest.DisposeAsync();
        await Broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        _state.Dispose();
    }
}
