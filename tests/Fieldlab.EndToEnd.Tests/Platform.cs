using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>One isolated, secured Fieldlab on the shared database server: its own broker (anonymous access refused,
/// passwd/acl rendered from its own metadata store plus the test's own clients), its own site, database, write-only
/// ingest user, ingest process and API instance (read-only database user), and an administrator and an instructor with
/// tokens — so that tests do not see each other's data and every part runs with access control on.</summary>
internal sealed class Platform : IAsyncDisposable
{
    private readonly TempDirectory _state;

    private Platform(ServersFixture servers, string site, string database, LocalMosquitto broker, LocalAccess access, TempDirectory state, MetadataStoreOptions store)
    {
        Servers = servers;
        Site = site;
        Database = database;
        Broker = broker;
        Access = access;
        _state = state;
        Store = store;
    }

    public ServersFixture Servers { get; }
    public string Site { get; }
    public string Database { get; }
    public LocalMosquitto Broker { get; }
    public LocalAccess Access { get; }
    public MetadataStoreOptions Store { get; }
    public ServiceProcess Ingest { get; private set; } = null!;
    public string IngestUrl { get; private set; } = "";

    /// <summary>The file holding ingest's InfluxDB password.</summary>
    public string IngestPasswordFile { get; private set; } = "";
    public string OperatorKey { get; } = SecuredIngest.NewServiceKey();
    public WebApplicationFactory<Fieldlab.Api.Rigs.RigDirectoryListener> Api { get; private set; } = null!;

    /// <summary>The API as the administrator.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The API as the site's instructor.</summary>
    public HttpClient Instructor { get; private set; } = null!;

    /// <summary>Ingest's own endpoints with the operator's service key.</summary>
    public HttpClient IngestHttp { get; private set; } = null!;

    /// <summary>Demo passwords by user (a platform started with <c>demo: true</c>), else empty.</summary>
    public IReadOnlyDictionary<string, string> Passwords { get; private set; } = new Dictionary<string, string>();

    /// <summary>Where a real browser reaches the API (a platform started with an <c>apiPort</c>), else null.</summary>
    public string? ApiUrl { get; private set; }

    /// <summary>Starts a platform: its own broker, database, metadata store and ingest, and the API in-process — on a
    /// real port when <paramref name="apiPort"/> is given (for a browser). With <paramref name="demo"/> the store holds
    /// the demo tenancy of <c>./fieldlab up</c> (site techport, its four rigs, pilots and users) instead of a fresh site.</summary>
    public static async Task<Platform> StartAsync(ServersFixture servers, IDictionary<string, string>? ingestSettings = null, IReadOnlyList<string>? rigs = null,
        bool demo = false, int? apiPort = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var site = demo ? Fieldlab.Access.Demo.DemoTenancy.Site : $"site-{id}";
        var database = $"e2e_{id}";
        var state = new TempDirectory("e2e-state");
        var store = new MetadataStoreOptions { Provider = "sqlite", ConnectionString = $"Data Source={state.File("metadata.db")}" };
        await MetadataStore.MigrateAsync(store, CancellationToken.None);
        var access = new LocalAccess();
        var now = DateTime.UtcNow;
        string adminToken, instructorToken;
        IReadOnlyDictionary<string, string> passwords = new Dictionary<string, string>();
        await using (var scope = MetadataStore.BuildServices(store).CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MetadataDb>();
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FieldlabUser>>();
            FieldlabUser admin, docent;
            if (demo)
            {
                passwords = await Fieldlab.Access.Demo.DemoTenancy.SeedIfEmptyAsync(db, users, now, CancellationToken.None);
                admin = (await users.FindByNameAsync("admin"))!;
                docent = (await users.FindByNameAsync("docent"))!;
            }
            else
            {
                await SiteRegistry.AddSiteAsync(db, site, null, now, CancellationToken.None);
                foreach (var rig in rigs ?? ["pump-1", "motor-1"]) await SiteRegistry.AddRigAsync(db, site, rig, null, now, CancellationToken.None);
                admin = await UserAccounts.CreateAsync(users, db, new NewAccount("admin", Role.Administrator, null, null, GeneratedPassword.New()), now, CancellationToken.None);
                docent = await UserAccounts.CreateAsync(users, db, new NewAccount("docent", Role.Instructor, site, null, GeneratedPassword.New()), now, CancellationToken.None);
            }
            await SiteRegistry.EnsureServiceAsync(db, $"ingest-{id}", ServiceKind.Ingest, now, CancellationToken.None);
            await SiteRegistry.EnsureServiceAsync(db, $"api-{id}", ServiceKind.Api, now, CancellationToken.None);
            adminToken = (await ApiTokens.CreateAsync(db, admin.Id, "e2e", TimeSpan.FromHours(2), now, CancellationToken.None)).Text;
            instructorToken = (await ApiTokens.CreateAsync(db, docent.Id, "e2e", TimeSpan.FromHours(2), now, CancellationToken.None)).Text;
        }
        var broker = await LocalMosquitto.StartSecuredAsync(await PlanAsync(store, access));
        var platform = new Platform(servers, site, database, broker, access, state, store) { Passwords = passwords };
        try
        {
            await platform.StartServicesAsync(id, ingestSettings, adminToken, instructorToken, apiPort);
        }
        catch
        {
            await platform.DisposeAsync(); // no broker or ingest process outlives a failed start
            throw;
        }
        return platform;
    }

    private async Task StartServicesAsync(string id, IDictionary<string, string>? ingestSettings, string adminToken, string instructorToken, int? apiPort)
    {
        int port = FreePort.Next();
        var ingestPrincipal = (await PlanAsync(Store, Access)).First(p => p.Username == $"svc.ingest-{id}");
        var secured = await SecuredIngest.PrepareAsync(_state.File("ingest"), Broker.Port, ingestPrincipal, Servers.Influx, Database, OperatorKey);
        var apiKey = SecuredIngest.NewServiceKey();
        await File.AppendAllTextAsync(secured["Ingest:ServiceKeyFile"], apiKey + "\n");
        await File.WriteAllTextAsync(_state.File("api-ingest.key"), apiKey);
        var settings = new Dictionary<string, string>(secured)
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Ingest:SharedGroup"] = $"ingest-{id}",
            ["Ingest:UnknownRigGrace"] = "00:00:01",
            ["Ingest:SpoolDirectory"] = _state.File("spool"),
            ["Ingest:QuarantineDirectory"] = _state.File("quarantine"),
        };
        foreach (var (k, v) in ingestSettings ?? new Dictionary<string, string>()) settings[k] = v;
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        Ingest = await ServiceProcess.StartNewAsync("Ingest", settings, async ct =>
        {
            using var response = await probe.GetAsync($"http://127.0.0.1:{port}/healthz", ct);
            response.EnsureSuccessStatusCode();
        }, typeof(Platform).Assembly);
        IngestUrl = $"http://127.0.0.1:{port}";
        IngestPasswordFile = secured["Influx:PasswordFile"];
        IngestHttp = new HttpClient();
        IngestHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);

        var apiUser = $"reader_{Database}";
        var apiPassword = Guid.NewGuid().ToString("N");
        await Servers.Influx.CreateUserAsync(Database, apiUser, apiPassword, "READ");
        var api = (await PlanAsync(Store, Access)).First(p => p.Username == $"svc.api-{id}");
        Api = new WebApplicationFactory<Fieldlab.Api.Rigs.RigDirectoryListener>().WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mqtt:Port"] = Broker.Port.ToString(),
                ["Mqtt:ClientId"] = api.Username,
                ["Mqtt:Username"] = api.Username,
                ["Mqtt:Password"] = api.Password,
                ["Influx:Url"] = Servers.Influx.Url,
                ["Influx:Database"] = Database,
                ["Influx:Username"] = apiUser,
                ["Influx:Password"] = apiPassword,
                ["Metadata:ConnectionString"] = Store.ConnectionString,
                // The test renders the broker's files itself (the store's principals plus its own clients).
                ["BrokerAccess:Enabled"] = "false",
                ["IngestService:Url"] = IngestUrl,
                ["IngestService:KeyFile"] = _state.File("api-ingest.key"),
                ["Datasets:Directory"] = _state.File("datasets"),
                // Sandboxes' points are deleted with ingest's InfluxDB user (the API's own one only reads).
                ["Sandboxes:InfluxUsername"] = secured["Influx:Username"],
                ["Sandboxes:InfluxPasswordFile"] = IngestPasswordFile,
            })));
        if (apiPort is { } p)
        {
            Api.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, p));
            Api.StartServer();
            ApiUrl = $"http://127.0.0.1:{p}";
        }
        Http = Client(adminToken);
        Instructor = Client(instructorToken);
    }

    /// <summary>An API client with a bearer token.</summary>
    public HttpClient Client(string token)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A test client of the broker with exactly <paramref name="rules"/>, its principal applied before it returns.</summary>
    public async Task<Fieldlab.Telemetry.Mqtt.MqttConnectionOptions> ClientAsync(string name, params TopicRule[] rules)
    {
        var principal = Access.Client($"test.{name}", rules);
        await Broker.Access.ApplyAsync(await PlanAsync(Store, Access), CancellationToken.None);
        return Broker.ClientOptions(principal);
    }

    /// <summary>The broker login of a rig's gateway (of any site, a sandbox's too), its principal applied before it returns.</summary>
    public async Task<(string User, string Password)> GatewayLoginAsync(Fieldlab.Telemetry.Wire.RigAddress rig)
    {
        var principal = Access.Gateway(rig);
        await Broker.Access.ApplyAsync(await PlanAsync(Store, Access), CancellationToken.None);
        return (principal.Username, principal.Password);
    }

    /// <summary>Renders the broker's files from the store again (the API's own sync is off in these tests).</summary>
    public async Task ApplyBrokerAccessAsync() => await Broker.Access.ApplyAsync(await PlanAsync(Store, Access), CancellationToken.None);

    /// <summary>A rig's gateway login as YAML (<c>broker: { … }</c>), its password in a file.</summary>
    public async Task<string> GatewayBrokerYamlAsync(string rig, int? port = null)
    {
        var principal = Access.Gateway(new Fieldlab.Telemetry.Wire.RigAddress(Site, rig));
        var file = _state.File($"{principal.Username}.password");
        await File.WriteAllTextAsync(file, principal.Password);
        return $"broker: {{ host: 127.0.0.1, port: {port ?? Broker.Port}, username: {principal.Username}, password_file: '{file}' }}";
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>The path of a rig's resource in the API.</summary>
    public string Rig(string rig, string resource = "") => $"/api/sites/{Site}/rigs/{rig}{(resource.Length > 0 ? "/" + resource : "")}";

    public static readonly System.Text.Json.JsonSerializerOptions Json = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    /// <summary>An admin InfluxDB client of this platform's database.</summary>
    public Fieldlab.Telemetry.Influx.InfluxClient Influx() => new(Servers.Influx.ClientOptions(Database));

    /// <summary>Sequence numbers stored for a stream, with how often each occurs (read where the schema puts the
    /// measurement: samples in <c>samples_raw</c>).</summary>
    public async Task<Dictionary<long, int>> StoredSeqsAsync(string rig, string stream, string measurement = "samples")
    {
        using var influx = Influx();
        var source = Fieldlab.Telemetry.Schema.FieldlabSchema.Measurements.FirstOrDefault(m => m.Name == measurement)?.QuotedName
            ?? throw new ArgumentException($"'{measurement}' is not a measurement of the schema", nameof(measurement));
        var result = await influx.QueryAsync(new Fieldlab.Telemetry.Influx.InfluxQuery(
            $"SELECT seq FROM {source} WHERE rig = $rig AND stream = $stream").Bind("rig", rig).Bind("stream", stream), CancellationToken.None);
        var counts = new Dictionary<long, int>();
        if (result.Single is { } series)
        {
            int column = series.ColumnIndex("seq");
            foreach (var row in series.Rows) counts[row[column].GetInt64()] = counts.GetValueOrDefault(row[column].GetInt64()) + 1;
        }
        return counts;
    }

    public async Task<Dictionary<string, long>> IngestMetricsAsync()
    {
        using var client = new HttpClient();
        return (await client.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>($"{IngestUrl}/stats"))!
            .Where(kv => kv.Value.ValueKind == System.Text.Json.JsonValueKind.Number)
            .ToDictionary(kv => kv.Key, kv => (long)kv.Value.GetDouble());
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        Instructor?.Dispose();
        IngestHttp?.Dispose();
        if (Api is not null) await Api.DisposeAsync();
        if (Ingest is not null) await Ingest.DisposeAsync();
        await Broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }

    // The store's principals (gateways, services, people), with the test's key, plus the test's own clients.
    private static async Task<IReadOnlyList<BrokerPrincipal>> PlanAsync(MetadataStoreOptions store, LocalAccess access)
    {
        await using var db = MetadataStore.Open(store);
        var (principals, _) = await new BrokerAccessPlan(access.Passwords, new RigPolicy(RightsTable.Current)).BuildAsync(db, DateTime.UtcNow, CancellationToken.None);
        var all = principals.ToDictionary(p => p.Username);
        foreach (var p in access.Principals) all[p.Username] = p;
        return [.. all.Values];
    }
}

/// <summary>The API's JSON shapes, as a client sees them.</summary>
internal sealed record RigDto(string Site, string Rig, string? Kind, bool Online, string? OfflineReason, List<SensorDto> Sensors);

internal sealed record SensorDto(string Id, string Unit, string Stream, double RateHz);

internal sealed record SeriesDto(string Site, string Rig, string Sensor, string Unit, int Count, bool Truncated, List<PointDto> Points);

internal sealed record PointDto(string T, double Value);
