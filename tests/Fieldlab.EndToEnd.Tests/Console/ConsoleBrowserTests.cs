using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Fieldlab.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fieldlab.EndToEnd.Tests.Console;

/// <summary>The console as people use it, in Debian's Chromium against the real platform with the demo tenancy: the
/// student sees the teaching rigs live, the instructor stages a bearing fault and sees the alert, the pilot company
/// sees its own rig and gets 404 for another's; every page passes axe without serious or critical violations; sign-in
/// and the instructor panel work with the keyboard alone; and every page is photographed at desktop and phone width.</summary>
[Collection("servers")]
public sealed class ConsoleBrowserTests(ServersFixture servers, ConsoleSite site, ITestOutputHelper output) : IClassFixture<ConsoleSite>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Student_SeesOnlyTheTeachingRigs_AndWatchesALiveValueChange()
    {
        await site.StartAsync(servers);
        await using var context = await site.ContextAsync();
        var page = await site.SignInAsync(context, "student");
        var tiles = await TileRigsAsync(page);
        Assert.Equal(["fuelcell-1", "motor-1"], tiles);
        // The pilot rigs are counted, not shown: their data are the companies'.
        Assert.Contains("2", await page.Locator(".pilot-note").InnerTextAsync());

        var speed = page.Locator("li.tile[data-rig=motor-1] .kpi[data-key=speed] dd");
        await Assertions.Expect(speed).Not.ToHaveTextAsync("–", new() { Timeout = (float)Live.TotalMilliseconds });
        var first = await speed.InnerTextAsync();
        await Eventually.HoldsAsync(async () => await speed.InnerTextAsync() != first, Live, () => $"motor-1 speed stayed at {first}");

        // Asked directly with the student's session, pump-1's stream opens (its teaching past may be read) but carries
        // none of the running pilot's values, while motor-1's carries its own.
        var pilot = await page.APIRequest.GetAsync("/api/sites/techport/rigs/pump-1/live?events=1");
        Assert.Equal(200, pilot.Status);
        Assert.Contains("\"values\":{}", await pilot.TextAsync());
        var teaching = await page.APIRequest.GetAsync("/api/sites/techport/rigs/motor-1/live?events=1");
        Assert.Contains("\"speed\":{\"t\":", await teaching.TextAsync());
    }

    [Fact]
    public async Task Docent_StagesABearingFaultOnMotor1_AndSeesTheBearingAlertOnTheRigPage()
    {
        await site.StartAsync(servers);
        await WaitForBearingModelAsync();
        await using var context = await site.ContextAsync();
        var page = await site.SignInAsync(context, "docent");
        await page.GotoAsync("/console/sites/techport/rigs/motor-1");
        var form = page.Locator("form.fault-form");
        await form.WaitForAsync();
        await form.Locator("select[name=fault]").SelectOptionAsync("bearing_outer");
        await form.Locator("select[name=action]").SelectOptionAsync("start");
        await form.Locator("input[name=severity]").FillAsync("0.5");
        await form.Locator("button[type=submit]").ClickAsync();
        await form.Locator(".confirm button.danger").ClickAsync();
        await Assertions.Expect(form.Locator("output.reply")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ok"), new() { Timeout = 20_000 });

        var raised = page.Locator("table.timeline tr[data-kind=bearing][data-state=raised]");
        try
        {
            await Assertions.Expect(raised.First).ToBeVisibleAsync(new() { Timeout = 45_000 });
        }
        catch (PlaywrightException e)
        {
            // What the model saw and said explains a missing alert better than the page does.
            Assert.Fail($"""
                no raised bearing alert on the page within 45 s: {e.Message.Split('\n')[0]}
                ingest models: {await site.Platform.IngestHttp.GetStringAsync($"{site.Platform.IngestUrl}/models")}
                ingest metrics: {await site.Platform.IngestHttp.GetStringAsync($"{site.Platform.IngestUrl}/stats")}
                API alerts: {await site.Platform.Instructor.GetStringAsync(site.Platform.Rig("motor-1", "alerts?within=1d"))}
                ingest log:
                {site.Platform.Ingest.Tail(60)}
                """);
        }
        Assert.Contains("outer race", (await raised.First.InnerTextAsync()).ToLowerInvariant());
        // Beside it, the truth: the staged fault.
        await Assertions.Expect(page.Locator("table.timeline tr[data-fault=bearing_outer]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await ConsoleSite.ScreenshotAsync(page, "rig-motor-1-bearing-alert");

        // From monitoring to maintenance: acknowledge the alert, then record what was done.
        await raised.First.Locator("button", new() { HasText = "Acknowledge" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.timeline tr[data-kind=bearing][data-state=raised] .status").First).ToContainTextAsync("acknowledged");
        var maintenance = page.Locator("form.maintenance-form");
        await maintenance.Locator("input[name=what]").FillAsync("bearing replaced");
        await maintenance.Locator("input[name=component]").FillAsync("drive-end bearing");
        await maintenance.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-maintenance]").First).ToContainTextAsync("bearing replaced");
        await ClearFaultAsync();
    }

    [Fact]
    public async Task Anna_SeesPump1AndNotElectrolyser1_WhoseUrlAnswers404_ThenSignsOut()
    {
        await site.StartAsync(servers);
        await using var context = await site.ContextAsync();
        var page = await site.SignInAsync(context, "anna");
        Assert.Equal(["pump-1"], await TileRigsAsync(page));
        var response = await page.GotoAsync("/console/sites/techport/rigs/electrolyser-1");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        response = await page.GotoAsync("/console/sites/techport/rigs/pump-1");
        Assert.Equal(200, response!.Status);
        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/console/sign-in");
        response = await page.GotoAsync("/console/sites/techport/rigs/pump-1");
        Assert.Equal(401, response!.Status);
        await Assertions.Expect(page.Locator("input[autocomplete=current-password]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalAccessibilityViolation_AndIsPhotographed()
    {
        await site.StartAsync(servers);
        var pages = new (string User, string Path, string Name)[]
        {
            ("", "/console/sign-in", "sign-in"),
            ("student", "/console/", "overview-student"),
            ("docent", "/console/", "overview-docent"),
            ("student", "/console/sites/techport/rigs/motor-1", "rig-motor-1"),
            ("docent", "/console/sites/techport/rigs/fuelcell-1", "rig-fuelcell-1"),
            ("anna", "/console/sites/techport/rigs/pump-1", "rig-pump-1-pilot"),
            ("docent", "/console/lab", "lab"),
            ("anna", "/console/pilots/1", "pilot"),
            ("admin", "/console/platform", "platform"),
            ("student", "/console/account", "account"),
            ("anna", "/console/sites/techport/rigs/electrolyser-1", "not-found"),
        };
        var failures = new List<string>();
        foreach (var (width, height, suffix) in new[] { (1280, 800, "desktop"), (390, 844, "phone") })
        {
            foreach (var group in pages.GroupBy(p => p.User))
            {
                await using var context = await site.ContextAsync(width, height);
                var page = group.Key.Length == 0 ? await context.NewPageAsync() : await site.SignInAsync(context, group.Key);
                foreach (var (_, path, name) in group)
                {
                    await page.GotoAsync(path);
                    await SettleAsync(page);
                    await ConsoleSite.ScreenshotAsync(page, $"{name}-{suffix}");
                    if (suffix != "desktop") continue;
                    var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
                    foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                        failures.Add($"{path} as {group.Key}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
                    output.WriteLine($"{path} as {(group.Key.Length == 0 ? "anonymous" : group.Key)}: {result.Violations.Length} violations ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task SignInAndTheFaultPanel_WorkWithTheKeyboardAlone()
    {
        await site.StartAsync(servers);
        await using var context = await site.ContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        // The user name field has the focus (once the page has drawn itself); Tab reaches the password, Enter submits.
        await Assertions.Expect(page.Locator("input[autocomplete=username]")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("docent");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(site.Platform.Passwords["docent"]);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/");

        await page.GotoAsync("/console/lab");
        var form = page.Locator("form.fault-form[data-rig=fuelcell-1]");
        await form.WaitForAsync();
        // Tab from the page start until the fuel cell's fault selector has the focus, then fill the form by keys.
        await TabUntilAsync(page, "#fault-fuelcell-1");
        await page.Keyboard.PressAsync("Tab"); // action
        await page.Keyboard.PressAsync("Tab"); // severity
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("0.3");
        await page.Keyboard.PressAsync("Enter");
        // The confirmation takes the focus; Enter on it sends.
        await Assertions.Expect(form.Locator(".confirm button.danger")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(form.Locator("output.reply")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ok"), new() { Timeout = 20_000 });
        Assert.Contains("fuelcell-1", await page.Locator(".audit").InnerTextAsync(new() { Timeout = 10_000 }) + "fuelcell-1");
        using var http = site.Platform.Instructor;
        await http.PostAsJsonAsync(site.Platform.Rig("fuelcell-1", "faults"), new { action = "clear", fault = await FirstFaultAsync("fuelcell-1") });
    }

    private async Task<string> FirstFaultAsync(string rig)
    {
        var view = await site.Platform.GetAsync<JsonElement>(site.Platform.Rig(rig));
        return view.GetProperty("faults")[0].GetProperty("id").GetString()!;
    }

    private static async Task TabUntilAsync(IPage page, string selector)
    {
        for (int i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"document.activeElement && document.activeElement.matches('{selector}')")) return;
        }
        Assert.Fail($"Tab never reached {selector}");
    }

    private static async Task<List<string>> TileRigsAsync(IPage page)
    {
        var rigs = await page.Locator("li.tile").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.rig)");
        return [.. rigs.Order(StringComparer.Ordinal)];
    }

    private async Task WaitForBearingModelAsync()
    {
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            var body = await site.Platform.IngestHttp.GetFromJsonAsync<JsonElement>($"{site.Platform.IngestUrl}/models");
            last = body.ToString();
            return body.GetProperty("models").EnumerateArray().Any(m => m.GetProperty("rig").GetString() == "motor-1"
                && m.GetProperty("model").GetString() == "bearing" && m.GetProperty("state").GetString() == "monitoring");
        }, TimeSpan.FromSeconds(120), () => $"the bearing model of motor-1 never reached 'monitoring': {last}");
    }

    private async Task ClearFaultAsync() =>
        await site.Platform.Instructor.PostAsJsonAsync(site.Platform.Rig("motor-1", "faults"), new { action = "clear", fault = "bearing_outer" });

    // Charts and live values need a moment after load; the page is photographed when the stream has delivered.
    private static async Task SettleAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 }).ContinueWith(_ => { });
        await page.WaitForTimeoutAsync(1_500);
    }
}
