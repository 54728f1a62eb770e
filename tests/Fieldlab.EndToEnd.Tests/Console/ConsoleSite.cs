using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Electrolyser;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Gateway.Simulation;
using Fieldlab.LocalServers;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Fieldlab.EndToEnd.Tests.Console;

/// <summary>What the console's browser tests share: the demo tenancy of <c>./fieldlab up</c> on a platform of real parts
/// (its own broker, InfluxDB database, ingest process, the API on a real port), the four simulated rigs publishing,
/// and Debian's Chromium driven by Playwright. Started once for the test class (it takes a minute), stopped after it.</summary>
public sealed class ConsoleSite : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<RigGateway> _gateways = [];
    private readonly List<TempDirectory> _dirs = [];
    private Platform? _platform;
    private IPlaywright? _playwright;

    /// <summary>The platform (after <see cref="StartAsync"/>).</summary>
    internal Platform Platform => _platform ?? throw new InvalidOperationException("not started");

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the API serves the console.</summary>
    public string Url => Platform.ApiUrl!;

    /// <summary>Where screenshots go: <c>.fieldlab/screenshots/</c> of the repository.</summary>
    public static string ScreenshotDirectory => Path.Combine(RepositoryRoot(), ".fieldlab", "screenshots");

    /// <summary>A full-page screenshot of <paramref name="page"/> as <c>{name}.png</c> in <see cref="ScreenshotDirectory"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Starts everything once.</summary>
    internal async Task<ConsoleSite> StartAsync(ServersFixture servers)
    {
        await _gate.WaitAsync();
        try
        {
            if (_platform is not null) return this;
            _platform = await Platform.StartAsync(servers, new Dictionary<string, string>
            {
                // Models that learn their baselines in seconds, as in ConditionMonitoringTests.
                ["ConditionMonitoring:BaselineWindows"] = "6",
                ["ConditionMonitoring:BaselineRows"] = "60",
                ["ConditionMonitoring:SettleTime"] = "00:00:02",
                ["ConditionMonitoring:BaselineTime"] = "00:00:00",
                ["ConditionMonitoring:Energy:Period"] = "00:00:01",
                ["ConditionMonitoring:Energy:BaselinePeriods"] = "10",
            }, demo: true, apiPort: FreePort.Next());
            await StartGatewayAsync("pump-1", new PumpRig(31, 5), "{ kind: pump, seed: 31, rate_hz: 5 }");
            await StartGatewayAsync("motor-1", new MotorRig(32, 2, 12800, 2), "{ kind: motor, seed: 32, rate_hz: 2, waveform_rate_hz: 12800, waveform_axes: 2, waveform_frame: 2048 }");
            await StartGatewayAsync("electrolyser-1", new ElectrolyserRig(33, 2), "{ kind: electrolyser, seed: 33, rate_hz: 2 }");
            await StartGatewayAsync("fuelcell-1", new FuelCellRig(34, 2), "{ kind: fuel-cell, seed: 34, rate_hz: 2 }");
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(BrowserOptions());
            return this;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Debian's Chromium (Playwright's own browser download cannot work here), headless, quiet.</summary>
    public static BrowserTypeLaunchOptions BrowserOptions() => new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("FIELDLAB_CHROMIUM") ?? "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions", "--no-first-run"],
    };

    /// <summary>A fresh browser context (its own cookies) of the given size, speaking <paramref name="locale"/>.</summary>
    public Task<IBrowserContext> ContextAsync(int width = 1280, int height = 800, string locale = "en-GB") => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = width, Height = height },
        Locale = locale,
        TimezoneId = "Europe/Amsterdam",
        BaseURL = Url,
    });

    /// <summary>Signs in through the form, as a person would, and waits for the overview.</summary>
    public async Task<IPage> SignInAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await page.FillAsync("input[autocomplete=username]", user);
        await page.FillAsync("input[autocomplete=current-password]", Platform.Passwords[user]);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/console/");
        await page.Locator(".tiles").First.WaitForAsync();
        return page;
    }

    private async Task StartGatewayAsync(string rig, ISimulatedRig simulated, string simulation)
    {
        var dir = new TempDirectory("console-" + rig);
        _dirs.Add(dir);
        var config = GatewayConfigFile.Parse($$"""
            site: {{Platform.Site}}
            rig: {{rig}}
            {{await Platform.GatewayBrokerYamlAsync(rig)}}
            simulation: {{simulation}}
            publish: { batch_interval: 200ms }
            buffer: { dir: '{{dir.Path}}' }
            """, $"{rig}.yaml");
        var gateway = new RigGateway(config, simulated, TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        _gateways.Add(gateway);
        await gateway.ListeningForCommands.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fieldlab.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Fieldlab.sln not found above " + AppContext.BaseDirectory);
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        foreach (var g in _gateways)
        {
            await g.StopAsync(CancellationToken.None);
            g.Dispose();
        }
        if (_platform is not null) await _platform.DisposeAsync();
        foreach (var d in _dirs) d.Dispose();
    }
}
