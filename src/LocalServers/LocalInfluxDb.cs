using Fieldlab.Telemetry.Influx;

namespace Fieldlab.LocalServers;

/// <summary>A real InfluxDB server on free loopback ports, configured from deploy/local/influxdb.conf.template.</summary>
public sealed class LocalInfluxDb : ServerProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private LocalInfluxDb() : base("influxdb")
    {
        HttpPort = FreePort.Next();
        var config = Render("influxdb.conf.template", new Dictionary<string, string>
        {
            ["HTTP_PORT"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RPC_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA_DIR"] = Directory,
        });
        File.WriteAllText(System.IO.Path.Combine(Directory, "influxdb.conf"), config);
    }

    /// <summary>HTTP API port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>Base URL of the HTTP API.</summary>
    public string Url => $"http://127.0.0.1:{HttpPort}";

    /// <inheritdoc />
    protected override string CommandLine => $"influxd run -config '{System.IO.Path.Combine(Directory, "influxdb.conf")}'";

    /// <summary>Starts a server.</summary>
    public static async Task<LocalInfluxDb> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var server = new LocalInfluxDb();
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Options for a client of a fresh, uniquely named database on this server (not yet created).</summary>
    public InfluxOptions ClientOptions(string? database = null) => new()
    {
        Url = Url,
        Database = database ?? "t_" + Guid.NewGuid().ToString("N")[..12],
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetries = 2,
    };

    /// <summary>A client of a new, empty database on this server.</summary>
    public async Task<InfluxClient> NewDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var client = new InfluxClient(ClientOptions());
        await client.EnsureDatabaseAsync(cancellationToken);
        return client;
    }

    /// <inheritdoc />
    protected override async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"{Url}/ping", cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
