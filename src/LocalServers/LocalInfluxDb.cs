using Fieldlab.Telemetry.Influx;

namespace Fieldlab.LocalServers;

/// <summary>A real InfluxDB server on free loopback ports, configured from deploy/local/influxdb.conf.template, with
/// authentication on (as deployed). On start it creates an admin; <see cref="ClientOptions"/> log in as that admin, and
/// <see cref="CreateUserAsync"/> makes the least-privileged users that access tests need.</summary>
public sealed class LocalInfluxDb : ServerProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private LocalInfluxDb(string? adminPassword) : base("influxdb")
    {
        HttpPort = FreePort.Next();
        RpcPort = FreePort.Next();
        AdminPassword = adminPassword ?? Guid.NewGuid().ToString("N");
        var config = Render("influxdb.conf.template", new Dictionary<string, string>
        {
            ["HTTP_PORT"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RPC_PORT"] = RpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA_DIR"] = Directory,
        });
        File.WriteAllText(System.IO.Path.Combine(Directory, "influxdb.conf"), config);
    }

    /// <summary>HTTP API port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>Backup/restore RPC port on 127.0.0.1 (<c>influxd backup|restore -host</c>).</summary>
    public int RpcPort { get; }

    /// <summary>The RPC address, <c>127.0.0.1:port</c>.</summary>
    public string RpcAddress => $"127.0.0.1:{RpcPort}";

    /// <summary>Base URL of the HTTP API.</summary>
    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <summary>The admin's user name.</summary>
    public string AdminUser => "admin";

    /// <summary>The admin's password (made up for this server).</summary>
    public string AdminPassword { get; }

    /// <inheritdoc />
    protected override string CommandLine => $"influxd run -config '{System.IO.Path.Combine(Directory, "influxdb.conf")}'";

    /// <summary>Starts a server and creates its admin.</summary>
    public static Task<LocalInfluxDb> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(null, cancellationToken);

    /// <summary>Starts a server and creates its admin with <paramref name="adminPassword"/> (made up when null), as a
    /// Fieldlab's provisioning would from its secrets.</summary>
    public static async Task<LocalInfluxDb> StartNewAsync(string? adminPassword, CancellationToken cancellationToken = default)
    {
        var server = new LocalInfluxDb(adminPassword);
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Options for an admin client of a fresh, uniquely named database on this server (not yet created).</summary>
    public InfluxOptions ClientOptions(string? database = null) => new()
    {
        Url = Url,
        Database = database ?? "t_" + Guid.NewGuid().ToString("N")[..12],
        Username = AdminUser,
        Password = AdminPassword,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetries = 2,
    };

    /// <summary>Options of a non-admin user.</summary>
    public InfluxOptions UserOptions(string database, string user, string password) => new()
    {
        Url = Url,
        Database = database,
        Username = user,
        Password = password,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetries = 2,
    };

    /// <summary>An admin client of a new, empty database on this server.</summary>
    public async Task<InfluxClient> NewDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var client = new InfluxClient(ClientOptions());
        await client.EnsureDatabaseAsync(cancellationToken);
        return client;
    }

    /// <summary>Creates (or re-passwords) a user with <paramref name="privilege"/> (READ, WRITE, ALL) on <paramref name="database"/>.</summary>
    public async Task CreateUserAsync(string database, string user, string password, string privilege, CancellationToken cancellationToken = default)
    {
        await Fieldlab.Access.Database.InfluxProvisioning.ProvisionAsync(ClientOptions(database),
            [new Fieldlab.Access.Database.InfluxProvisioning.ServiceUser(user, password, privilege)], TimeSpan.FromHours(1), cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"{Url}/ping", cancellationToken);
        response.EnsureSuccessStatusCode();
        // First start: the one unauthenticated statement InfluxDB allows makes the admin (a restart finds it made).
        using var create = await Http.PostAsync($"{Url}/query", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["q"] = $"CREATE USER \"{AdminUser}\" WITH PASSWORD '{AdminPassword}' WITH ALL PRIVILEGES",
        }), cancellationToken);
        if (create.IsSuccessStatusCode) return;
        using var check = new HttpRequestMessage(HttpMethod.Post, $"{Url}/query")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "SHOW USERS" }),
        };
        check.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        using var checkResponse = await Http.SendAsync(check, cancellationToken);
        checkResponse.EnsureSuccessStatusCode();
    }
}
