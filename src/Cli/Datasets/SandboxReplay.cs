using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Cli.Datasets;

/// <summary>Plays a dataset into a sandbox: opens the sandbox through the API, downloads each rig's replay file (checked
/// against the manifest's hash), runs one gateway per rig — the gateway's own replay, logged in as the sandbox rig's
/// gateway user — and waits until every file is written and ingest has confirmed every row, reporting progress to
/// the API. The gateways stop when it returns.</summary>
/// <param name="api">The API as the instructor (bearer token set).</param>
/// <param name="login">The broker login of a sandbox rig's gateway (user, password).</param>
/// <param name="mqttPort">The broker's port on 127.0.0.1.</param>
/// <param name="workDirectory">Where the replay files and the gateways' buffers go (a folder per sandbox is made).</param>
public sealed class SandboxReplay(HttpClient api, Func<RigAddress, CancellationToken, Task<(string User, string Password)>> login, int mqttPort, string workDirectory)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Lines of progress (<c>sandbox site=…</c>, <c>replaying site=… rows=N unconfirmed=M</c>); null: none.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>Where the replay gateways log (refused publishes, lost connections, resends); null: nowhere.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>Replays <paramref name="datasetId"/>; returns the sandbox's site and the rows published.</summary>
    public async Task<(string Site, long Rows)> RunAsync(string datasetId, int? version, double speed, string? schoolClass, double? hours, CancellationToken ct)
    {
        using var response = await api.PostAsJsonAsync($"/api/datasets/{Uri.EscapeDataString(datasetId)}/sandboxes",
            new { version, speed, @class = schoolClass, hours }, Json, ct);
        var sandbox = (await ApiCall.EnsureAsync(response, ct)).RootElement;
        string site = sandbox.GetProperty("site").GetString()!;
        Output?.WriteLine($"sandbox site={site} expires_at={sandbox.GetProperty("expires_at").GetString()}");

        var folder = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(workDirectory), site)).FullName;
        var gateways = new List<RigGateway>();
        try
        {
            foreach (var rig in sandbox.GetProperty("rigs").EnumerateArray())
            {
                var gateway = new RigGateway(await ConfigAsync(site, rig, folder, speed, ct), null, TimeProvider.System,
                    Loggers?.CreateLogger<RigGateway>() ?? NullLogger<RigGateway>.Instance);
                await gateway.StartAsync(ct);
                gateways.Add(gateway);
            }
            return (site, await WatchAsync(site, gateways, ct));
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                await gateway.StopAsync(CancellationToken.None);
                gateway.Dispose();
            }
        }
    }

    private async Task<GatewayConfig> ConfigAsync(string site, JsonElement rig, string folder, double speed, CancellationToken ct)
    {
        string rigId = rig.GetProperty("rig").GetString()!;
        var file = Path.Combine(folder, $"{rigId}.csv");
        await using (var target = File.Create(file))
        {
            using var download = await api.GetAsync(rig.GetProperty("file").GetString(), HttpCompletionOption.ResponseHeadersRead, ct);
            if (!download.IsSuccessStatusCode) await ApiCall.EnsureAsync(download, ct);
            await download.Content.CopyToAsync(target, ct);
        }
        await using (var read = File.OpenRead(file))
        {
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct)) != rig.GetProperty("sha256").GetString())
                throw new UsageException($"the replay file of {rigId} does not match its hash in the manifest");
        }
        var (user, password) = await login(new RigAddress(site, rigId), ct);
        var config = new GatewayConfig
        {
            Site = site, Rig = rigId, Gateway = $"replay-{site}-{rigId}",
            Broker = new BrokerConfig { Host = "127.0.0.1", Port = mqttPort, Username = user, Password = password },
            Replay = new ReplayConfig
            {
                File = file, Format = "fieldlab", Speed = speed.ToString("R", CultureInfo.InvariantCulture), Timestamps = "shifted",
                Stream = rig.GetProperty("stream").GetString()!, Kind = rig.GetProperty("kind").GetString()!,
            },
            Buffer = new BufferConfig { Dir = Path.Combine(folder, "buffer-" + rigId) },
            Delivery = new DeliveryConfig { Confirm = "ingest", DrainOnStop = TimeSpan.FromSeconds(30) },
        };
        if (config.Validate().ToList() is { Count: > 0 } problems) throw new UsageException($"replay of {rigId}: {string.Join("; ", problems)}");
        return config;
    }

    // Done when every replay has written its whole file and ingest has confirmed every row.
    private async Task<long> WatchAsync(string site, List<RigGateway> gateways, CancellationToken ct)
    {
        long Rows() => gateways.Sum(g => g.Replay!.RowsPublished);
        long Unconfirmed() => gateways.Sum(g => g.BufferStatistics?.UnconfirmedRows ?? 0);
        var lastReport = DateTime.MinValue;
        while (true)
        {
            if (gateways.FirstOrDefault(g => g.Replay!.StoppedBecause is not null) is { } stopped)
                throw new InvalidOperationException($"the replay of {stopped.Address.Rig} stopped after {stopped.Replay!.RowsPublished} rows: {stopped.Replay.StoppedBecause}");
            bool done = gateways.All(g => g.Replay!.Finished && g.BufferStatistics is { UnconfirmedRows: 0 });
            if (done || DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(5))
            {
                using var report = await api.PutAsJsonAsync($"/api/sandboxes/{site}/progress", new { rows = Rows(), finished = done }, Json, ct);
                if (!report.IsSuccessStatusCode) await ApiCall.EnsureAsync(report, ct);
                if (!done) Output?.WriteLine($"replaying site={site} rows={Rows()} unconfirmed={Unconfirmed()} {string.Join(" ", gateways.Select(Describe))}");
                lastReport = DateTime.UtcNow;
            }
            if (done) return Rows();
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    // One rig's state in a progress line: what an operator needs to see why a replay is not confirmed yet.
    private static string Describe(RigGateway g) =>
        $"{g.Address.Rig}=({(g.Replay!.Finished ? "written" : g.Replay.StoppedBecause is null ? "writing" : "stopped")},{g.Connection?.State.ToString().ToLowerInvariant() ?? "starting"},resends={g.Resends})";
}
