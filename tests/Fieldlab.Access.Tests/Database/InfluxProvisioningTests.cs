using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fieldlab.Access.Database;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using static Fieldlab.Access.Database.InfluxProvisioning;

namespace Fieldlab.Access.Tests.Database;

/// <summary>One auth-enabled InfluxDB (its admin made by <see cref="LocalInfluxDb"/>) for the tests of a class; every
/// test provisions its own database and users.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public LocalInfluxDb Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await LocalInfluxDb.StartNewAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary><see cref="InfluxProvisioning.ProvisionAsync"/> on a real InfluxDB 1.x with authentication: the database and
/// its retention policy, a write-only and a read-only user that can do exactly that, no way in without credentials,
/// password rotation, and a clear error for a wrong admin password.</summary>
public sealed class InfluxProvisioningTests(InfluxFixture influx) : IClassFixture<InfluxFixture>, IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Retention = TimeSpan.FromHours(6);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private LocalInfluxDb Server => influx.Server;
    private string Ingest => "ingest_" + _suffix;
    private string Api => "api_" + _suffix;

    private static byte[] Line(string value) => Encoding.UTF8.GetBytes($"probe,rig=pump-1 value={value} 1767225600000000000\n");

    private async Task<InfluxOptions> ProvisionAsync(string ingestPassword = "ingest-password-1", string apiPassword = "api-password-1", TimeSpan? retention = null)
    {
        var admin = Server.ClientOptions();
        await InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser(Ingest, ingestPassword, "WRITE"), new ServiceUser(Api, apiPassword, "READ")], retention ?? Retention, Ct);
        return admin;
    }

    private InfluxClient As(InfluxOptions admin, string user, string password) =>
        new(Server.UserOptions(admin.Database, user, password));

    [Fact]
    public async Task ProvisionAsync_CreatesTheDatabaseAndTheWaveformRetentionPolicy()
    {
        var admin = await ProvisionAsync();
        using var client = new InfluxClient(admin);

        var databases = await client.QueryAsync(new InfluxQuery("SHOW DATABASES"), Ct, database: "");
        Assert.Contains(admin.Database, databases.Single!.Rows.Select(r => r[0].GetString()));
        var policies = (await client.QueryAsync(new InfluxQuery($"SHOW RETENTION POLICIES ON {InfluxIdentifier.Quote(admin.Database)}"), Ct)).Single!;
        var waveform = policies.Rows.Single(r => r[policies.ColumnIndex("name")].GetString() == InfluxDatabaseSetup.WaveformRetentionPolicy);
        Assert.Equal("6h0m0s", waveform[policies.ColumnIndex("duration")].GetString());
    }

    [Fact]
    public async Task ProvisionAsync_Again_WithAnotherRetention_ChangesThePolicy()
    {
        var admin = await ProvisionAsync();
        await InfluxProvisioning.ProvisionAsync(admin, [], TimeSpan.FromHours(12), Ct);
        using var client = new InfluxClient(admin);
        var policies = (await client.QueryAsync(new InfluxQuery($"SHOW RETENTION POLICIES ON {InfluxIdentifier.Quote(admin.Database)}"), Ct)).Single!;
        var waveform = policies.Rows.Single(r => r[policies.ColumnIndex("name")].GetString() == InfluxDatabaseSetup.WaveformRetentionPolicy);
        Assert.Equal("12h0m0s", waveform[policies.ColumnIndex("duration")].GetString());
    }

    [Fact]
    public async Task WriteUser_CanWrite_ButNotQuery()
    {
        var admin = await ProvisionAsync();
        using var ingest = As(admin, Ingest, "ingest-password-1");

        await ingest.WriteAsync(Line("1"), Ct);

        var e = await Assert.ThrowsAsync<InfluxException>(() => ingest.QueryAsync(new InfluxQuery("SELECT * FROM probe"), Ct));
        Assert.Equal(403, e.StatusCode);
        using var client = new InfluxClient(admin);
        var rows = (await client.QueryAsync(new InfluxQuery("SELECT value FROM probe"), Ct)).Single!.Rows;
        Assert.Equal(1.0, Assert.Single(rows)[1].GetDouble());
    }

    [Fact]
    public async Task ReadUser_CanQuery_ButNotWrite()
    {
        var admin = await ProvisionAsync();
        using (var ingest = As(admin, Ingest, "ingest-password-1")) await ingest.WriteAsync(Line("2"), Ct);
        using var api = As(admin, Api, "api-password-1");

        var rows = (await api.QueryAsync(new InfluxQuery("SELECT value FROM probe"), Ct)).Single!.Rows;
        Assert.Equal(2.0, Assert.Single(rows)[1].GetDouble());

        var e = await Assert.ThrowsAsync<InfluxException>(() => api.WriteAsync(Line("3"), Ct));
        Assert.Equal(403, e.StatusCode);
    }

    [Fact]
    public async Task ServiceUsers_AreNoAdmins_AndSeeNoOtherDatabase()
    {
        var admin = await ProvisionAsync();
        var other = await ProvisionOtherDatabaseAsync();
        using var api = As(admin, Api, "api-password-1");
        using var ingest = As(admin, Ingest, "ingest-password-1");

        Assert.Equal(403, (await Assert.ThrowsAsync<InfluxException>(() => api.QueryAsync(new InfluxQuery("SHOW USERS"), Ct, database: ""))).StatusCode);
        Assert.Equal(403, (await Assert.ThrowsAsync<InfluxException>(() => api.QueryAsync(new InfluxQuery($"DROP DATABASE {InfluxIdentifier.Quote(admin.Database)}"), Ct, database: ""))).StatusCode);
        Assert.Equal(403, (await Assert.ThrowsAsync<InfluxException>(() => api.QueryAsync(new InfluxQuery("SELECT * FROM probe"), Ct, database: other))).StatusCode);
        Assert.Equal(403, (await Assert.ThrowsAsync<InfluxException>(() => ingest.WriteAsync(Line("4"), other, null, Ct))).StatusCode);
    }

    [Fact]
    public async Task NoCredentials_AreRefusedWith401()
    {
        var admin = await ProvisionAsync();
        var db = Uri.EscapeDataString(admin.Database);

        using var write = await _http.PostAsync($"{Server.Url}/write?db={db}", new ByteArrayContent(Line("5")));
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        using var query = await _http.PostAsync($"{Server.Url}/query", new FormUrlEncodedContent(new Dictionary<string, string> { ["db"] = admin.Database, ["q"] = "SELECT * FROM probe" }));
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
        using var get = await _http.GetAsync($"{Server.Url}/query?db={db}&q=SHOW%20MEASUREMENTS");
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);

        // …and the same requests with the READ user's credentials get in: the 401s are about the credentials.
        using var authorised = new HttpRequestMessage(HttpMethod.Get, $"{Server.Url}/query?db={db}&q=SHOW%20MEASUREMENTS");
        authorised.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Api}:api-password-1")));
        using var ok = await _http.SendAsync(authorised);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ProvisionAsync_Again_WithNewPasswords_RotatesThem()
    {
        var admin = await ProvisionAsync();
        await ProvisionAsync("ingest-password-2", "api-password-2");

        using (var oldIngest = As(admin, Ingest, "ingest-password-1"))
            Assert.Equal(401, (await Assert.ThrowsAsync<InfluxException>(() => oldIngest.WriteAsync(Line("6"), Ct))).StatusCode);
        using (var oldApi = As(admin, Api, "api-password-1"))
            Assert.Equal(401, (await Assert.ThrowsAsync<InfluxException>(() => oldApi.QueryAsync(new InfluxQuery("SELECT * FROM probe"), Ct))).StatusCode);

        using var ingest = As(admin, Ingest, "ingest-password-2");
        await ingest.WriteAsync(Line("7"), Ct);
        using var api = As(admin, Api, "api-password-2");
        Assert.Single((await api.QueryAsync(new InfluxQuery("SELECT value FROM probe"), Ct)).Single!.Rows);
    }

    [Fact]
    public async Task ProvisionAsync_Again_WithLessPrivilege_TakesTheOldGrantAway()
    {
        var admin = Server.ClientOptions();
        await InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser(Api, "api-password-1", "ALL")], Retention, Ct);
        using (var all = As(admin, Api, "api-password-1")) await all.WriteAsync(Line("8"), Ct);

        await InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser(Api, "api-password-1", "READ")], Retention, Ct);

        using var api = As(admin, Api, "api-password-1");
        Assert.Equal(403, (await Assert.ThrowsAsync<InfluxException>(() => api.WriteAsync(Line("9"), Ct))).StatusCode);
        Assert.Single((await api.QueryAsync(new InfluxQuery("SELECT value FROM probe"), Ct)).Single!.Rows);
    }

    [Fact]
    public async Task ProvisionAsync_PasswordWithQuotesAndBackslashes_IsSetLiterally()
    {
        const string Password = "it's a \\ \"quoted\" pass\\'word";
        var admin = Server.ClientOptions();
        await InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser(Ingest, Password, "WRITE")], Retention, Ct);
        using var ingest = As(admin, Ingest, Password);
        await ingest.WriteAsync(Line("10"), Ct);
    }

    [Fact]
    public async Task ProvisionAsync_WrongAdminPassword_FailsClearly()
    {
        var admin = Server.ClientOptions();
        admin.Password += "-wrong";
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser(Ingest, "ingest-password-1", "WRITE")], Retention, Ct));
        Assert.Contains("already has an admin", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Server.AdminUser}'", e.Message, StringComparison.Ordinal);
        Assert.IsType<InfluxException>(e.InnerException, exactMatch: false);

        // Nothing was made.
        using var client = new InfluxClient(Server.ClientOptions(admin.Database));
        var databases = await client.QueryAsync(new InfluxQuery("SHOW DATABASES"), Ct, database: "");
        Assert.DoesNotContain(admin.Database, databases.Single!.Rows.Select(r => r[0].GetString()));
        var users = await client.QueryAsync(new InfluxQuery("SHOW USERS"), Ct, database: "");
        Assert.DoesNotContain(Ingest, users.Single!.Rows.Select(r => r[0].GetString()));
    }

    [Fact]
    public async Task ProvisionAsync_FirstStartWithoutAnyUser_CreatesTheAdmin()
    {
        await using var bare = await BareInfluxDb.StartNewAsync();
        var admin = new InfluxOptions { Url = bare.Url, Database = "fieldlab", Username = "operator", Password = "first-admin-password", MaxRetries = 0 };

        await InfluxProvisioning.ProvisionAsync(admin, [new ServiceUser("ingest", "ingest-password-1", "WRITE")], Retention, Ct);

        using (var client = new InfluxClient(admin))
        {
            var users = (await client.QueryAsync(new InfluxQuery("SHOW USERS"), Ct, database: "")).Single!;
            var row = users.Rows.Single(r => r[users.ColumnIndex("user")].GetString() == "operator");
            Assert.True(row[users.ColumnIndex("admin")].GetBoolean(), "the first user is an admin");
        }
        using (var ingest = new InfluxClient(new InfluxOptions { Url = bare.Url, Database = "fieldlab", Username = "ingest", Password = "ingest-password-1", MaxRetries = 0 }))
            await ingest.WriteAsync(Line("11"), Ct);

        // Once there is an admin, the unauthenticated way in is closed: a second "admin" with another password is refused.
        var impostor = new InfluxOptions { Url = bare.Url, Database = "fieldlab", Username = "operator2", Password = "other-password", MaxRetries = 0 };
        await Assert.ThrowsAsync<InvalidOperationException>(() => InfluxProvisioning.ProvisionAsync(impostor, [], Retention, Ct));
        await InfluxProvisioning.ProvisionAsync(admin, [], Retention, Ct); // the real admin again: fine
    }

    [Fact]
    public async Task ProvisionAsync_UnknownPrivilege_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => InfluxProvisioning.ProvisionAsync(Server.ClientOptions(), [new ServiceUser(Ingest, "ingest-password-1", "ADMIN")], Retention, Ct));
    }

    private async Task<string> ProvisionOtherDatabaseAsync()
    {
        var other = Server.ClientOptions();
        await InfluxProvisioning.ProvisionAsync(other, [], Retention, Ct);
        using var client = new InfluxClient(other);
        await client.WriteAsync(Line("0"), Ct);
        return other.Database;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>An auth-enabled InfluxDB without any user yet (its first start): <see cref="LocalInfluxDb"/> always makes its
/// admin, so this one only waits for <c>/ping</c>.</summary>
internal sealed class BareInfluxDb : ServerProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly int _port = FreePort.Next();

    private BareInfluxDb() : base("influxdb-bare")
    {
        var config = Render("influxdb.conf.template", new Dictionary<string, string>
        {
            ["HTTP_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RPC_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA_DIR"] = Directory,
        });
        File.WriteAllText(Path.Combine(Directory, "influxdb.conf"), config);
    }

    public string Url => $"http://127.0.0.1:{_port}";

    protected override string CommandLine => $"influxd run -config '{Path.Combine(Directory, "influxdb.conf")}'";

    public static async Task<BareInfluxDb> StartNewAsync()
    {
        var server = new BareInfluxDb();
        await server.StartAsync();
        return server;
    }

    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"{Url}/ping", cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
