using System.Text.Json;
using Microsoft.Playwright;

namespace Fieldlab.Cli.Bench;

/// <summary>A real Chromium page on motor-1's rig page, signed in through the form: reads the page's own record of
/// publish → drawn latencies (<c>window.fieldlabLatency</c>, written when uPlot has drawn a new value), its Largest
/// Contentful Paint, and the main thread's task time from the DevTools protocol.</summary>
internal sealed class BrowserViewer
{
    private readonly IPage _page;
    private readonly ICDPSession _cdp;
    private readonly double _lcpMs;
    private double _taskSeconds;

    private BrowserViewer(IPage page, ICDPSession cdp, double lcpMs)
    {
        _page = page;
        _cdp = cdp;
        _lcpMs = lcpMs;
    }

    /// <summary>Signs in as the administrator and opens the rig page.</summary>
    public static async Task<BrowserViewer> OpenAsync(IBrowser browser, string api, string password, CancellationToken cancellationToken)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = api, ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, TimezoneId = "Europe/Amsterdam" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        await page.FillAsync("input[autocomplete=username]", "admin");
        await page.FillAsync("input[autocomplete=current-password]", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/console/");
        await page.GotoAsync("/console/sites/techport/rigs/motor-1");
        // LCP of the rig page's own navigation (the console is a page per URL, so this is a full load).
        double lcp = await page.EvaluateAsync<double>("""
            () => new Promise(resolve => {
              new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })
                .observe({ type: 'largest-contentful-paint', buffered: true });
              setTimeout(() => resolve(-1), 5000);
            })
            """);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        return new BrowserViewer(page, cdp, lcp);
    }

    /// <summary>Starts counting afresh (after the warm-up).</summary>
    public async Task ResetAsync()
    {
        await _page.EvaluateAsync("() => { window.fieldlabLatency.length = 0; window.fieldlabDraws = 0; }");
        _taskSeconds = await TaskSecondsAsync();
    }

    /// <summary>What the page recorded since the reset.</summary>
    public async Task<BrowserStats> StatsAsync()
    {
        var latencies = await _page.EvaluateAsync<double[]>("() => window.fieldlabLatency.slice()");
        long draws = await _page.EvaluateAsync<long>("() => window.fieldlabDraws ?? 0");
        double task = await TaskSecondsAsync() - _taskSeconds;
        return new BrowserStats(_lcpMs, [.. latencies], draws, draws == 0 ? 0 : task * 1000 / draws);
    }

    private async Task<double> TaskSecondsAsync()
    {
        var metrics = await _cdp.SendAsync("Performance.getMetrics");
        foreach (var m in metrics!.Value.GetProperty("metrics").EnumerateArray())
        {
            if (m.GetProperty("name").GetString() == "TaskDuration") return m.GetProperty("value").GetDouble();
        }
        throw new JsonException("no TaskDuration in Performance.getMetrics");
    }
}

/// <summary>One page's figures: its LCP (ms), the latencies of its draws (ms), the draws, main-thread ms per draw.</summary>
internal sealed record BrowserStats(double LcpMs, List<double> Latencies, long Draws, double MainThreadMsPerDraw);
