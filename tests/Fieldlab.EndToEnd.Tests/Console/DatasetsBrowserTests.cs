using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Fieldlab.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fieldlab.EndToEnd.Tests.Console;

/// <summary>The console's datasets pages in Debian's Chromium against the real platform with the demo tenancy: the
/// instructor freezes a short range of motor-1 through the form (refused with the API's sentence while the range is not
/// yet stored, field errors beside the fields for bad input), finds it in the list, opens it, downloads samples.csv by
/// its link and gets the SHA-256 the page shows, builds the replay command and ends a sandbox; a company member does not
/// see the instructor's dataset; a student has no menu entry and is told where datasets come from. Both pages pass axe
/// without serious or critical violations at desktop and phone width and are photographed.</summary>
[Collection("servers")]
public sealed class DatasetsBrowserTests(ServersFixture servers, ConsoleSite site, ITestOutputHelper output) : IClassFixture<ConsoleSite>
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Fact]
    public async Task Docent_FreezesMotor1_DownloadsSamplesWithTheShownHash_AnnaDoesNotSeeIt_StudentIsToldWhereDatasetsComeFrom()
    {
        await site.StartAsync(servers);
        var failures = new List<string>();
        string id;
        await using (var context = await site.ContextAsync())
        {
            var page = await site.SignInAsync(context, "docent");
            await page.ClickAsync("header a[href='/console/datasets']");
            var form = page.Locator("form.freeze-form");
            await form.WaitForAsync();
            var status = form.Locator("p.reply");

            // Bad input: no rig. The API's field error appears beside the rigs, and the summary in the live region.
            await form.Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(page.Locator("#err-rigs")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#err-rigs")).ToContainTextAsync("at least one rig");
            Assert.Equal("400", await status.GetAttributeAsync("data-status"));

            // A range ending in the future cannot be stored through yet: the first answer is the API's 409 sentence.
            var now = DateTimeOffset.UtcNow;
            await Assertions.Expect(form.Locator("fieldset.rigs")).ToContainTextAsync("motor-1");
            await form.Locator("input[name=rigs][value=motor-1]").CheckAsync();
            await form.Locator("input[name=from]").FillAsync(Local(now.AddSeconds(-12)));
            await form.Locator("input[name=to]").FillAsync(Local(now.AddSeconds(3)));
            await form.Locator("input[name=title]").FillAsync("Motor bench, a few seconds");
            await form.Locator("button", new() { HasText = "Add a label" }).ClickAsync();
            await form.Locator("input[name=label-label]").FillAsync("normal");
            string? refusal = null;
            await Eventually.HoldsAsync(async () =>
            {
                await form.Locator("button[type=submit]").ClickAsync();
                await form.Locator("p.reply[data-status]").WaitForAsync();
                var code = await status.GetAttributeAsync("data-status");
                if (code == "201") return true;
                Assert.True(code == "409", $"freeze answered {code}: {await status.InnerTextAsync()}");
                refusal ??= await status.InnerTextAsync();
                await page.WaitForTimeoutAsync(1_000); // pacing the retries, as a person would
                return false;
            }, TimeSpan.FromSeconds(60), () => "the watermark never passed the range");
            output.WriteLine($"first answer: {refusal}");
            Assert.NotNull(refusal);
            Assert.Contains("motor-1", refusal);
            var href = await status.Locator("a").GetAttributeAsync("href");
            id = href!.Split('/')[^1].Split('?')[0];
            Assert.StartsWith("ds-", id);

            var row = page.Locator($"table.datasets tr[data-dataset='{id}']");
            await Assertions.Expect(row).ToBeVisibleAsync();
            await Assertions.Expect(row).ToContainTextAsync("docent");
            await Assertions.Expect(row).ToContainTextAsync("1 published");
            await CheckAndPhotographAsync(page, "datasets-desktop", failures);

            await row.Locator("a").First.ClickAsync();
            var samples = page.Locator("table.files tr[data-file='samples.csv']");
            await samples.WaitForAsync();
            var shown = await samples.Locator("code.hash").InnerTextAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => samples.Locator("a.download").ClickAsync());
            var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
            Assert.Equal(shown, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.StartsWith("time,rig,stream,", System.Text.Encoding.UTF8.GetString(bytes));
            await Assertions.Expect(page.Locator("pre.readme")).ToContainTextAsync("samples.csv");

            // The replay command follows the form (and the version the page shows, which the list links to).
            await page.SelectOptionAsync("#r-class", "class-1");
            await page.FillAsync("#r-speed", "20");
            await Assertions.Expect(page.Locator("#r-command")).ToHaveTextAsync($"./fieldlab replay {id} --version 1 --speed 20 --class class-1 --hours 4");

            // A sandbox of this dataset (opened through the API, as the replay command does) is listed and ended with
            // the keyboard after its confirmation.
            using var opened = await site.Platform.Instructor.PostAsJsonAsync($"/api/datasets/{id}/sandboxes", new { speed = 10, @class = "class-1", hours = 1 });
            Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
            string sandbox = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("site").GetString()!;
            // The test platform renders the broker's files itself (the API's sync is off): the API may now clear the sandbox's retained messages.
            await site.Platform.ApplyBrokerAccessAsync();
            await page.ReloadAsync();
            var sandboxRow = page.Locator($"table.sandbox-list tr[data-sandbox='{sandbox}']");
            await Assertions.Expect(sandboxRow).ToContainTextAsync("class-1");
            await CheckAndPhotographAsync(page, "dataset-detail-desktop", failures);
            await sandboxRow.Locator("button.end").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(sandboxRow.Locator(".confirm button.danger")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            // The page reports the API's answer in its live region and the row goes.
            var ended = page.Locator(".sandboxes + p.reply");
            await Assertions.Expect(ended).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bok\b"), new() { Timeout = 30_000 });
            await Assertions.Expect(ended).ToContainTextAsync(sandbox);
            await Assertions.Expect(sandboxRow).ToHaveCountAsync(0);
        }

        await using (var phone = await site.ContextAsync(390, 844))
        {
            var page = await site.SignInAsync(phone, "docent");
            await page.GotoAsync("/console/datasets");
            await page.Locator($"table.datasets tr[data-dataset='{id}']").WaitForAsync();
            await CheckAndPhotographAsync(page, "datasets-phone", failures);
            await page.GotoAsync($"/console/datasets/{id}");
            await page.Locator("table.files").WaitForAsync();
            await CheckAndPhotographAsync(page, "dataset-detail-phone", failures);
        }

        await using (var context = await site.ContextAsync())
        {
            // A company member reads its company's datasets only: the instructor's is neither listed nor found.
            var page = await site.SignInAsync(context, "anna");
            await page.ClickAsync("header a[href='/console/datasets']");
            await page.Locator(".dataset-list[aria-busy=false]").WaitForAsync();
            await Assertions.Expect(page.Locator($"tr[data-dataset='{id}']")).ToHaveCountAsync(0);
            await page.GotoAsync($"/console/datasets/{id}");
            await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Not found");
        }

        await using (var context = await site.ContextAsync())
        {
            var page = await site.SignInAsync(context, "student");
            await Assertions.Expect(page.Locator("header a[href='/console/datasets']")).ToHaveCountAsync(0);
            Assert.Equal(403, (await page.APIRequest.GetAsync("/api/datasets")).Status);
            await page.GotoAsync("/console/datasets");
            await Assertions.Expect(page.Locator(".student-note")).ToContainTextAsync("assignments");
            await CheckAndPhotographAsync(page, "datasets-student-desktop", failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // A datetime-local value as the page's browser (Europe/Amsterdam) reads it.
    // A datetime-local input drops ":00" seconds from its value; Playwright's fill compares the value it reads back.
    private static string Local(DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, Amsterdam);
        return local.ToString(local.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task CheckAndPhotographAsync(IPage page, string name, List<string> failures)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 }).ContinueWith(_ => { });
        await ConsoleSite.ScreenshotAsync(page, name);
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            failures.Add($"{name}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
        output.WriteLine($"{name}: {result.Violations.Length} violations ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
    }
}
