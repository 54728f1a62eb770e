using System.Globalization;
using System.Net.Http.Headers;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Demo;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Cli.Bench;

/// <summary>The platform a benchmark measures, on private servers started for the run: the demo tenancy of
/// <c>./fieldlab up</c> (plus extra simulated pumps), the broker with ACLs, InfluxDB, and ingest, the API and the
/// gateways as processes of their own — so that each one's CPU and memory can be read from /proc.</summary>
public sealed class BenchPlatform : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<IAsyncDisposable> _parts = [];

    private BenchPlatform(string work) => Work = work;

    /// <summary>The run's folder.</summary>
    public string Work { get; }

    /// <summary>The rigs simulated: the demo's four, then the extra pumps.</summary>
    public List<string> Rigs { get; private set; } = [];

    /// <summary>An administrator's token.</summary>
    public string Token { get; private set; } = "";

    /// <summary>The administrator's password (for browser sign-in).</summary>
    public string AdminPassword { get; private set; } = "";

    /// <summary>The API's URL.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>The API process.</summary>
    public ServiceProcess Api { get; private set; } = null!;

    /// <summary>Ingest's URL.</summary>
    public string IngestUrl { get; private set; } = "";

    /// <summary>The operator's key for ingest's operated endpoints (<c>/stats/reset</c>).</summary>
    public string IngestKey { get; private set; } = "";

    /// <summary>The InfluxDB server (database <c>fieldlab</c>).</summary>
    public LocalInfluxDb Influx { get; private set; } = null!;

    /// <summary>Starts it all and waits until every rig's values reach the API's live feed.</summary>
    public static async Task<BenchPlatform> StartAsync(string work, int extraRigs, IReadOnlyDictionary<string, string>? apiSettings, CancellationToken cancellationToken)
    {
        var platform = new BenchPlatform(work);
        try
        {
            await platform.StartInAsync(extraRigs, apiSettings ?? new Dictionary<string, string>(), cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the API as the administrator.</summary>
    public HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    private async Task StartInAsync(int extraRigs, IReadOnlyDictionary<string, string> apiSettings, CancellationToken cancellationToken)
    {
        var store = new MetadataStoreOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(Work, "metadata.db")}" };
        await MetadataStore.MigrateAsync(store, cancellationToken);
        Rigs = [.. DemoTenancy.Rigs.Select(r => r.Rig).Concat(Enumerable.Range(0, extraRigs).Select(k => $"pump-{k + 2}"))];
        await using (var scope = MetadataStore.BuildServices(store).CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MetadataDb>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<FieldlabUser>>();
            var now = DateTime.UtcNow;
            var passwords = await DemoTenancy.SeedIfEmptyAsync(db, users, now, cancellationToken);
            foreach (var rig in Rigs.Skip(DemoTenancy.Rigs.Length)) await SiteRegistry.AddRigAsync(db, DemoTenancy.Site, rig, "Extra simulated pump (bench)", now, cancellationToken);
            var admin = (await users.FindByNameAsync("admin"))!;
            Token = (await ApiTokens.CreateAsync(db, admin.Id, "bench", TimeSpan.FromHours(2), now, cancellationToken)).Text;
            AdminPassword = passwords["admin"];
        }

        var access = new LocalAccess();
        foreach (var rig in Rigs) access.Gateway(new RigAddress(DemoTenancy.Site, rig));
        var ingestLogin = access.Ingest("ingest-1");
        var apiLogin = access.Api("api-1");
        var broker = await LocalMosquitto.StartSecuredAsync(access.Principals, cancellationToken: cancellationToken);
        _parts.Add(broker);
        Influx = await LocalInfluxDb.StartNewAsync(cancellationToken);
        _parts.Add(Influx);
        int ingestPort = FreePort.Next(), apiPort = FreePort.Next();
        IngestKey = SecuredIngest.NewServiceKey();
        var secured = await SecuredIngest.PrepareAsync(Path.Combine(Work, "ingest"), broker.Port, ingestLogin, Influx, "fieldlab", IngestKey, cancellationToken);
        IngestUrl = $"http://127.0.0.1:{ingestPort}";
        _parts.Add(await ServiceProcess.StartNewAsync("Ingest", new Dictionary<string, string>(secured)
        {
            ["Urls"] = IngestUrl,
            ["Ingest:SpoolDirectory"] = Path.Combine(Work, "spool"),
            ["Ingest:QuarantineDirectory"] = Path.Combine(Work, "quarantine"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, async ct => (await Probe.GetAsync($"{IngestUrl}/healthz", ct)).EnsureSuccessStatusCode(), typeof(BenchPlatform).Assembly, cancellationToken));
        await Influx.CreateUserAsync("fieldlab", "api", "api-bench-password", "READ");
        var apiPasswordFile = Path.Combine(Work, "api.mqtt.password");
        await File.WriteAllTextAsync(apiPasswordFile, apiLogin.Password, cancellationToken);
        var apiKeyFile = Path.Combine(Work, "api-ingest.key");
        await File.WriteAllTextAsync(apiKeyFile, IngestKey, cancellationToken);
        ApiUrl = $"http://127.0.0.1:{apiPort}";
        var settings = new Dictionary<string, string>
        {
            ["Urls"] = ApiUrl,
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = apiLogin.Username,
            ["Mqtt:Username"] = apiLogin.Username,
            ["Mqtt:PasswordFile"] = apiPasswordFile,
            ["Influx:Url"] = Influx.Url,
            ["Influx:Database"] = "fieldlab",
            ["Influx:Username"] = "api",
            ["Influx:Password"] = "api-bench-password",
            ["Metadata:ConnectionString"] = store.ConnectionString,
            ["BrokerAccess:Enabled"] = "false",
            ["IngestService:Url"] = IngestUrl,
            ["IngestService:KeyFile"] = apiKeyFile,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in apiSettings) settings[k] = v;
        Api = await ServiceProcess.StartNewAsync("Api", settings, async ct => (await Probe.GetAsync($"{ApiUrl}/healthz", ct)).EnsureSuccessStatusCode(),
            typeof(BenchPlatform).Assembly, cancellationToken);
        _parts.Add(Api);
        _parts.Add(await StartGatewaysAsync(broker.Port, access, cancellationToken));
        using var http = Client();
        await WaitForLiveRigsAsync(http, Rigs.Count, cancellationToken);
    }

    private async Task<ServiceProcess> StartGatewaysAsync(int brokerPort, LocalAccess access, CancellationToken cancellationToken)
    {
        var configs = new List<string>();
        foreach (var (rig, i) in Rigs.Select((r, i) => (r, i)))
        {
            var login = access.Gateway(new RigAddress(DemoTenancy.Site, rig));
            var passwordFile = Path.Combine(Work, $"{login.Username}.password");
            await File.WriteAllTextAsync(passwordFile, login.Password, cancellationToken);
            // The demo's rigs as ./fieldlab up simulates them (deploy/local/gateways), the extra ones as pumps.
            string simulation = rig switch
            {
                "motor-1" => "{ kind: motor, seed: 7, rate_hz: 2, waveform_rate_hz: 12800, waveform_axes: 3, waveform_frame: 2048 }",
                "electrolyser-1" => "{ kind: electrolyser, seed: 5, rate_hz: 1 }",
                "fuelcell-1" => "{ kind: fuel-cell, seed: 6, rate_hz: 1 }",
                _ => $"{{ kind: pump, seed: {10 + i}, rate_hz: 5 }}",
            };
            var path = Path.Combine(Work, $"{rig}.yaml");
            await File.WriteAllTextAsync(path, $$"""
                site: {{DemoTenancy.Site}}
                rig: {{rig}}
                broker: { host: 127.0.0.1, port: {{brokerPort}}, username: {{login.Username}}, password_file: '{{passwordFile}}' }
                simulation: {{simulation}}
                publish: { batch_interval: 500ms }
                buffer: { dir: '{{Path.Combine(Work, "buffer", rig)}}' }
                """, cancellationToken);
            configs.Add(path);
        }
        var dll = ServiceProcess.AssemblyPath("Gateway", typeof(BenchPlatform).Assembly);
        return await ServiceProcess.StartCommandAsync("gateway",
            $"dotnet {ServiceProcess.Quote(dll)} {string.Join(' ', configs.Select(c => "--config " + ServiceProcess.Quote(c)))}", cancellationToken: cancellationToken);
    }

    private static async Task WaitForLiveRigsAsync(HttpClient http, int rigs, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var hello = await http.GetStringAsync($"/api/sites/{DemoTenancy.Site}/live?events=1", cancellationToken);
            int live = hello.Split("\"values\":{\"", StringSplitOptions.None).Length - 1;
            if (live >= rigs) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {live} of {rigs} rigs reached the API's live feed within 2 minutes");
            await Task.Delay(1000, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Stopped in reverse: gateways, API, ingest, InfluxDB, broker.
        for (int i = _parts.Count - 1; i >= 0; i--) await _parts[i].DisposeAsync();
        _parts.Clear();
    }
}
