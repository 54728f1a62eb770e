using System.Diagnostics;
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
using Microsoft.Playwright;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench console</c>: on private servers started for the run — the demo tenancy's four rigs plus
/// <see cref="ConsoleBenchSettings.ExtraRigs"/> simulated pumps, the broker with ACLs, InfluxDB, ingest and the API as
/// processes — first the API's CPU with no viewer, then with 48 plain Server-Sent-Events viewers of the site's stream and
/// 2 real headless Chromium pages on motor-1's rig page (50 browsers would measure only CPU starvation on two cores).
/// Measures publish → value drawn on screen in the browser pages (p50/p99; the sample's own timestamp against the clock
/// when uPlot has drawn it), the rig page's Largest Contentful Paint, the browser's main-thread time per chart update,
/// and the API's CPU per connected viewer (with − without, over the viewers).
/// Last line: <c>console latency_p99_ms=N viewers=V api_cpu_pct_per_viewer=C</c>.</summary>
public static class ConsoleBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static async Task<int> RunAsync(ConsoleBenchSettings settings, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-console-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, settings, cancellationToken);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> RunInAsync(string work, ConsoleBenchSettings settings, CancellationToken cancellationToken)
    {
        int viewers = settings.SseViewers + settings.BrowserViewers;
        Console.WriteLine($"bench console: {DemoTenancy.Rigs.Length} demo rigs + {settings.ExtraRigs} simulated pumps; {settings.SseViewers} SSE viewers + " +
                          $"{settings.BrowserViewers} Chromium pages; {settings.Measure.TotalSeconds:F0} s measured; every server a process of its own");
        await using var platform = await BenchPlatform.StartAsync(work, settings.ExtraRigs, null, cancellationToken);
        string api = platform.ApiUrl, token = platform.Token, adminPassword = platform.AdminPassword;
        using var http = platform.Client();
        int apiPid = platform.Api.Pid ?? throw new InvalidOperationException("the API is not running");

        // (a) The API with no viewer: what the feed itself costs (decoding every rig's samples and frames).
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        double idlePct = await CpuPercentAsync(apiPid, TimeSpan.FromSeconds(20), cancellationToken);
        Console.WriteLine($"(a) API CPU with no viewer: {idlePct:F1} % of one core");

        // (b) 48 SSE viewers and 2 browser pages.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sse = Enumerable.Range(0, settings.SseViewers).Select(_ => SseViewer.RunAsync(api, token, stop.Token)).ToList();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = settings.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions", "--no-first-run"],
        });
        var pages = new List<BrowserViewer>();
        for (int b = 0; b < settings.BrowserViewers; b++) pages.Add(await BrowserViewer.OpenAsync(browser, api, adminPassword, cancellationToken));
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);
        foreach (var p in pages) await p.ResetAsync();
        foreach (var v in SseViewer.All) v.Reset();
        double busyPct = await CpuPercentAsync(apiPid, settings.Measure, cancellationToken);
        var browserStats = new List<BrowserStats>();
        foreach (var p in pages) browserStats.Add(await p.StatsAsync());
        var sseStats = SseViewer.All.Select(v => v.Snapshot()).ToList();
        await stop.CancelAsync();
        await Task.WhenAll(sse.Select(t => t.ContinueWith(_ => { }, CancellationToken.None)));

        var latencies = browserStats.SelectMany(s => s.Latencies).Order().ToArray();
        var sseLatencies = sseStats.SelectMany(s => s.Latencies).Order().ToArray();
        double perViewer = (busyPct - idlePct) / viewers;
        Console.WriteLine($"(b) API CPU with {viewers} viewers: {busyPct:F1} % of one core; per viewer {perViewer:F2} %");
        Console.WriteLine($"SSE viewers: {sseStats.Sum(s => s.Events)} value events in {settings.Measure.TotalSeconds:F0} s " +
                          $"({sseStats.Sum(s => s.Events) / settings.Measure.TotalSeconds / Math.Max(1, settings.SseViewers):F1} per viewer per s), " +
                          $"sample → received p50 {Percentile(sseLatencies, 0.5):F0} ms, p99 {Percentile(sseLatencies, 0.99):F0} ms");
        foreach (var (s, i) in browserStats.Select((s, i) => (s, i)))
            Console.WriteLine($"browser page {i + 1}: LCP {s.LcpMs:F0} ms; {s.Draws} chart draws, main thread {s.MainThreadMsPerDraw:F2} ms per draw; " +
                              $"sample → drawn p50 {Percentile([.. s.Latencies.Order()], 0.5):F0} ms, p99 {Percentile([.. s.Latencies.Order()], 0.99):F0} ms ({s.Latencies.Count} draws)");
        Console.WriteLine($"targets: latency p99 ≤ 1000 ms (got {Percentile(latencies, 0.99):F0}); rig page LCP ≤ 1000 ms (got {browserStats.Max(s => s.LcpMs):F0})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"console latency_p99_ms={Percentile(latencies, 0.99):F0} viewers={viewers} api_cpu_pct_per_viewer={perViewer:F2}"));
        return 0;
    }

    // CPU of a process over a window, in % of one core, from /proc/{pid}/stat (utime + stime, clock ticks of 1/100 s).
    internal static async Task<double> CpuPercentAsync(int pid, TimeSpan window, CancellationToken cancellationToken)
    {
        static long Ticks(int pid)
        {
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        long before = Ticks(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, cancellationToken);
        long after = Ticks(pid);
        return (after - before) / 100.0 / clock.Elapsed.TotalSeconds * 100;
    }

    /// <summary>The q-quantile of sorted values (nearest rank), 0 when empty.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
