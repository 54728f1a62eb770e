using System.Text;
using Fieldlab.Access.Broker;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Electrolyser;
using Fieldlab.Gateway.Rigs.FuelCell;
using Fieldlab.Gateway.Rigs.Motor;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Gateway.Simulation;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Fieldlab.Testing.Dashboards;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.EndToEnd.Tests.Dashboards;

/// <summary>Every query of every provisioned dashboard — each panel's targets, each annotation, each variable — runs,
/// with Grafana's macros and variables substituted as Grafana does, against a real InfluxDB filled by the four simulated
/// rigs through the real gateway, broker and ingest (faults staged on the pump and the motor, one malformed message),
/// as Grafana's read-only user; each must succeed and return rows. What this does not prove: how Grafana renders them
/// (docs/dashboards.md).</summary>
[Collection("servers")]
public sealed class DashboardQueryTests(ServersFixture servers)
{
    /// <summary>The data source's minimum interval (dashboards/provisioning/datasources, timeInterval): what
    /// <c>$__interval</c> becomes for a range this short.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Long enough for the models' shortened baselines, the staged faults' alerts and the stacks' drift.</summary>
    private static readonly TimeSpan FillWithin = TimeSpan.FromMinutes(4);

    /// <summary>The rig each single-rig dashboard is looked at with.</summary>
    private static readonly Dictionary<string, string> RigOf = new()
    {
        ["fieldlab-pump"] = "pump-1", ["fieldlab-motor"] = "motor-1", ["fieldlab-electrolyser"] = "electrolyser-1", ["fieldlab-fuel-cell"] = "fuel-cell-1",
    };

    [Fact]
    public async Task EveryQueryOfEveryDashboard_ReturnsDataFromTheRealDatabase()
    {
        var dashboards = DashboardFile.All();
        Assert.Equal(7, dashboards.Count);
        await using var platform = await Platform.StartAsync(servers, new Dictionary<string, string>
        {
            ["ConditionMonitoring:BaselineWindows"] = "6",
            ["ConditionMonitoring:BaselineRows"] = "100",
            ["ConditionMonitoring:SettleTime"] = "00:00:02",
            ["ConditionMonitoring:BaselineTime"] = "00:00:00",
            ["ConditionMonitoring:Energy:Period"] = "00:00:01",
            ["ConditionMonitoring:Energy:BaselinePeriods"] = "10",
            // A simulated hour per second (time_acceleration 3600): a day of operation within half a minute.
            ["ConditionMonitoring:Energy:MinimumDriftSpanHours"] = "12",
            ["Ingest:StatsInterval"] = "00:00:01",
        }, rigs: ["pump-1", "motor-1", "electrolyser-1", "fuel-cell-1"]);
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        var reader = $"grafana_{platform.Database}";
        var password = Guid.NewGuid().ToString("N");
        await servers.Influx.CreateUserAsync(platform.Database, reader, password, "READ");
        using var influx = new InfluxClient(servers.Influx.UserOptions(platform.Database, reader, password));

        using var dir = new TempDirectory("dashboards");
        var gateways = new List<RigGateway>
        {
            await StartGatewayAsync(platform, dir, "pump-1", new PumpRig(31, 10), "{ kind: pump, seed: 31, rate_hz: 10 }"),
            await StartGatewayAsync(platform, dir, "motor-1", new MotorRig(32, 5, 12800, 2), "{ kind: motor, seed: 32, rate_hz: 5, waveform_rate_hz: 12800, waveform_axes: 2, waveform_frame: 2048 }"),
            await StartGatewayAsync(platform, dir, "electrolyser-1", new ElectrolyserRig(33, 2, new ElectrolyserParameters { TimeAcceleration = 3600 }), "{ kind: electrolyser, seed: 33, rate_hz: 2, time_acceleration: 3600 }"),
            await StartGatewayAsync(platform, dir, "fuel-cell-1", new FuelCellRig(34, 2, new FuelCellParameters { TimeAcceleration = 3600 }), "{ kind: fuel-cell, seed: 34, rate_hz: 2, time_acceleration: 3600 }"),
        };
        try
        {
            // Faults staged as an instructor would (the command topic), once the models have learnt their baselines, and
            // one malformed message, so the alert, ground-truth and reject panels have rows.
            var commander = await MqttConnection.ConnectAsync(await platform.ClientAsync("dashboards",
                new TopicRule(TopicAccess.Write, $"fieldlab/{platform.Site}/+/cmd/fault"), new TopicRule(TopicAccess.Write, $"fieldlab/{platform.Site}/pump-1/samples")), null, CancellationToken.None);
            await using var _ = commander;
            await WaitForMonitoringAsync(platform, "pump-1", "process");
            await WaitForMonitoringAsync(platform, "motor-1", "vibration");
            await PublishAsync(commander, $"fieldlab/{platform.Site}/pump-1/cmd/fault", """{"id":"dash-1","action":"start","fault":"cavitation","severity":0.9}""");
            await PublishAsync(commander, $"fieldlab/{platform.Site}/motor-1/cmd/fault", """{"id":"dash-2","action":"start","fault":"bearing_outer","severity":0.5}""");
            await PublishAsync(commander, $"fieldlab/{platform.Site}/pump-1/samples", """{"not":"a sample batch"}""");

            Run run = new([], 0, []);
            await Eventually.HoldsAsync(async () =>
            {
                run = await RunAllAsync(influx, dashboards, platform.Site, started, DateTimeOffset.UtcNow);
                return run.Empty.Count == 0;
            }, FillWithin, () => $"{run.Empty.Count} of {run.Ran} dashboard queries returned no rows after {FillWithin.TotalMinutes} minutes:\n" + string.Join("\n", run.Empty));
            Assert.True(run.Ran > 60, $"only {run.Ran} queries found in the dashboards");
            await PreviewAsync(dashboards, run);
        }
        finally
        {
            foreach (var gateway in gateways) await gateway.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>One pass over every query: those that failed or returned nothing (with the text sent), how many ran,
    /// and each panel's results by dashboard uid and panel id.</summary>
    private sealed record Run(List<string> Empty, int Ran, Dictionary<string, Dictionary<int, IReadOnlyList<InfluxSeries>>> Results);

    /// <summary>Renders each dashboard's layout from the rows its queries returned (<see cref="DashboardPreview"/>) in
    /// Chromium, checks every panel drew data, and keeps the pictures in .fieldlab/screenshots/ (docs/dashboards.md).</summary>
    private static async Task PreviewAsync(IReadOnlyList<DashboardFile> dashboards, Run run)
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Console.ConsoleSite.BrowserOptions());
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
        foreach (var dashboard in dashboards)
        {
            var results = run.Results.GetValueOrDefault(dashboard.Uid!) ?? [];
            await page.SetContentAsync(DashboardPreview.Render(dashboard, results,
                "Layout and data of the provisioned dashboard, drawn by the test from its queries' real results (simulated rigs, staged faults) — not Grafana's rendering."));
            var panels = dashboard.Panels().Count(p => (string?)p["type"] != "row");
            Assert.Equal(panels, await page.Locator(".panel").CountAsync());
            Assert.Equal(0, await page.Locator(".panel p", new() { HasTextString = "no data" }).CountAsync());
            Directory.CreateDirectory(Console.ConsoleSite.ScreenshotDirectory);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Console.ConsoleSite.ScreenshotDirectory, $"dashboard-{dashboard.Uid!["fieldlab-".Length..]}.png"), FullPage = true });
        }
    }

    /// <summary>Runs every query of every dashboard once.</summary>
    private static async Task<Run> RunAllAsync(InfluxClient influx, IReadOnlyList<DashboardFile> dashboards, string site, DateTimeOffset from, DateTimeOffset to)
    {
        var empty = new List<string>();
        var ran = 0;
        var results = new Dictionary<string, Dictionary<int, IReadOnlyList<InfluxSeries>>>();
        foreach (var dashboard in dashboards)
        {
            var variables = Variables(dashboard, site);
            foreach (var query in dashboard.Queries())
            {
                ran++;
                var text = GrafanaMacros.Expand(query.Text, from, to, Interval, variables);
                try
                {
                    var result = await influx.QueryAsync(new InfluxQuery(text), CancellationToken.None);
                    if (query.PanelId is { } panel)
                    {
                        var byPanel = results.TryGetValue(dashboard.Uid!, out var d) ? d : results[dashboard.Uid!] = [];
                        byPanel[panel] = [.. byPanel.GetValueOrDefault(panel) ?? [], .. result.Series];
                    }
                    if (!result.Series.Any(s => s.Rows.Count > 0)) empty.Add($"{query}: no rows — {text}");
                    else if (query.Where == "variable 'rig'" && variables["rig"] is { AllValue: null } chosen
                             && !result.Series.SelectMany(s => s.Rows).Any(r => r.Any(v => v.ValueKind == System.Text.Json.JsonValueKind.String && v.GetString() == chosen.Values[0])))
                        empty.Add($"{query}: does not list {chosen.Values[0]} — {text}");
                }
                catch (InfluxException e)
                {
                    empty.Add($"{query}: InfluxDB refused it ({e.Message}) — {text}");
                }
            }
        }
        return new Run(empty, ran, results);
    }

    /// <summary>The variables' values as a user opening the dashboard would have them: the test's site, the rig of the
    /// dashboard's kind (or "All" where the rig variable allows it), textboxes and constants at their defaults.</summary>
    private static Dictionary<string, VariableValue> Variables(DashboardFile dashboard, string site)
    {
        var values = new Dictionary<string, VariableValue>(StringComparer.Ordinal);
        foreach (var variable in dashboard.Variables())
        {
            var name = (string)variable["name"]!;
            bool multi = variable["multi"]?.GetValue<bool>() == true, all = variable["includeAll"]?.GetValue<bool>() == true;
            values[name] = name switch
            {
                "site" => VariableValue.Single(site),
                "rig" when all => new VariableValue([], true, (string?)variable["allValue"] ?? throw new InvalidOperationException($"{dashboard.Name}: an All without allValue")),
                "rig" => VariableValue.Single(RigOf[dashboard.Uid!]),
                _ when (string?)variable["type"] is "constant" or "textbox" => new VariableValue([(string)variable["query"]!], multi || all),
                _ => throw new InvalidOperationException($"{dashboard.Name}: the test does not know what to choose for '{name}'"),
            };
        }
        return values;
    }

    private static async Task<RigGateway> StartGatewayAsync(Platform platform, TempDirectory dir, string rigId, ISimulatedRig simulated, string simulation)
    {
        var config = GatewayConfigFile.Parse($$"""
            site: {{platform.Site}}
            rig: {{rigId}}
            {{await platform.GatewayBrokerYamlAsync(rigId)}}
            simulation: {{simulation}}
            publish: { batch_interval: 200ms }
            delivery: { health_interval: 1s }
            buffer: { dir: '{{dir.File(rigId)}}' }
            """, $"{rigId}.yaml");
        var gateway = new RigGateway(config, simulated, TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        await gateway.ListeningForCommands.WaitAsync(TimeSpan.FromSeconds(60));
        return gateway;
    }

    private static async Task WaitForMonitoringAsync(Platform platform, string rig, string stream)
    {
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            last = await platform.IngestHttp.GetStringAsync($"{platform.IngestUrl}/models");
            using var body = System.Text.Json.JsonDocument.Parse(last);
            return body.RootElement.GetProperty("models").EnumerateArray().Any(m =>
                m.GetProperty("rig").GetString() == rig && m.GetProperty("stream").GetString() == stream && m.GetProperty("state").GetString() == "monitoring"
                && m.GetProperty("model").GetString() is "anomaly" or "bearing");
        }, TimeSpan.FromSeconds(120), () => $"{rig}/{stream} never reached monitoring: {last}");
    }

    private static Task PublishAsync(MqttConnection client, string topic, string json) =>
        client.PublishAsync(topic, Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce, false, CancellationToken.None);
}
