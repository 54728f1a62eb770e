using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Live;

/// <summary>Live values by Server-Sent Events, for the console: one rig (<c>GET …/rigs/{rig}/live</c>, optionally with the
/// spectra of its vibration frames) or every rig of a site the caller may see the data of (<c>GET /api/sites/{site}/live</c>).
/// Fed by the API's own broker subscription and filtered on the server by the caller's rights, evaluated again every
/// <see cref="LiveOptions.RightsInterval"/>: a value is sent only when its sample time lies in the caller's data windows,
/// so a student's stream never carries a running pilot's values. Coalesced to at most one update per
/// <see cref="LiveOptions.MinUpdateInterval"/>. A browser's EventSource cannot send an Authorization header, so the
/// console uses its session cookie; scripts may use a personal token.</summary>
public static class LiveStreamApi
{
    /// <summary>Maps the site stream.</summary>
    public static IEndpointRouteBuilder MapSiteLiveApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{site}/live", SiteAsync).WithName("SiteLive").WithTags("Live").RequireRight(RigRights.Data)
            .WithSummary("Server-Sent Events: a snapshot ('hello'), then coalesced 'values' and 'alert' events of every rig at the site whose live data the caller may see; 'events' ends the stream after that many events.");
        return app;
    }

    /// <summary>Maps the rig stream in the rig group.</summary>
    public static RouteGroupBuilder MapRigLiveApi(this RouteGroupBuilder rig)
    {
        rig.MapGet("/live", RigAsync).WithName("RigLive").WithTags("Live").RequireRight(RigRights.Data)
            .WithSummary("Server-Sent Events of one rig: 'hello', 'values', 'alert' and (spectrum=true) 'spectrum' with the envelope spectrum and bearing defect frequencies of its newest vibration frame.");
        return rig;
    }

    /// <summary>GET /api/sites/{site}/live?events=</summary>
    public static async Task<IResult> SiteAsync(string site, int? events, HttpContext context, MetadataDb db, TenantView view, LiveStreamer streamer, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (events is < 1) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["events"] = ["at least 1 (or leave it out for an endless stream)"] });
        if (!await db.Sites.AnyAsync(s => s.Id == site, cancellationToken)) return TypedResults.Problem($"No site '{site}'.", statusCode: 404, title: "Unknown site");
        var caller = await CallerContext.RequireAsync(context);
        async Task<Dictionary<RigAddress, RigVisibility>> Evaluate(CancellationToken ct)
        {
            var rigs = await view.RigsAsync(caller, site, time.GetUtcNow().UtcDateTime, ct);
            return rigs.Where(r => r.Visibility.Allows(RigRights.Data)).ToDictionary(r => new RigAddress(r.Rig.SiteId, r.Rig.RigId), r => r.Visibility);
        }
        var initial = await Evaluate(cancellationToken);
        return TypedResults.ServerSentEvents(streamer.StreamAsync(initial, Evaluate, spectrum: false, events, cancellationToken));
    }

    /// <summary>GET …/rigs/{rig}/live?spectrum=&amp;events=</summary>
    public static IResult RigAsync(RigScope scope, bool? spectrum, int? events, MetadataDb db, RigPolicy policy, LiveStreamer streamer, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (events is < 1) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["events"] = ["at least 1 (or leave it out for an endless stream)"] });
        async Task<Dictionary<RigAddress, RigVisibility>> Evaluate(CancellationToken ct)
        {
            var facts = await RigFactsQuery.LoadAsync(db, scope.Address, ct);
            var visibility = facts is null ? RigVisibility.None : policy.Evaluate(scope.Caller, facts, time.GetUtcNow().UtcDateTime);
            return visibility.Allows(RigRights.Data) ? new() { [scope.Address] = visibility } : [];
        }
        var initial = new Dictionary<RigAddress, RigVisibility> { [scope.Address] = scope.Visibility };
        return TypedResults.ServerSentEvents(streamer.StreamAsync(initial, Evaluate, spectrum ?? false, events, cancellationToken));
    }
}

/// <summary>Writes one viewer's events: the snapshot, then what changed, coalesced, within the viewer's rights.</summary>
public sealed class LiveStreamer(LiveFeed feed, LiveSpectra spectra, RigDirectory directory, IOptions<LiveOptions> options, IOptions<JsonOptions> json, TimeProvider time)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>The events of one stream.</summary>
    public async IAsyncEnumerable<SseItem<string>> StreamAsync(Dictionary<RigAddress, RigVisibility> visible,
        Func<CancellationToken, Task<Dictionary<RigAddress, RigVisibility>>> evaluate, bool spectrum, int? maxEvents,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var viewer = new LiveViewer(visible.Keys.ToHashSet());
        using var registration = feed.Connect(viewer);
        var sentVersion = new Dictionary<RigAddress, long>();
        var sentFrame = new Dictionary<RigAddress, long>();
        int sent = 0;
        bool Done() => maxEvents is { } max && ++sent >= max;

        yield return Item("hello", new { rigs = visible.Select(kv => Update(kv.Key, kv.Value, sentVersion, force: true)).Where(u => u is not null).ToList() });
        if (Done()) yield break;
        var nextRights = time.GetUtcNow() + settings.RightsInterval;
        var lastSpectrum = DateTimeOffset.MinValue;
        var lastSend = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var wait = nextRights - now;
            if (wait > KeepAlive) wait = KeepAlive;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            bool woke = await WaitAsync(viewer, wait, cancellationToken);
            if (cancellationToken.IsCancellationRequested) yield break;
            now = time.GetUtcNow();
            if (now >= nextRights)
            {
                var again = await evaluate(cancellationToken);
                nextRights = now + settings.RightsInterval;
                if (!again.Keys.ToHashSet().SetEquals(visible.Keys))
                {
                    visible = again;
                    viewer.Rigs = visible.Keys.ToHashSet();
                    yield return Item("rights", new { rigs = visible.Keys.Select(r => new { site = r.Site, rig = r.Rig }).ToList() });
                    if (Done()) yield break;
                }
                else visible = again;
            }
            if (!woke)
            {
                yield return Item("ping", new { t = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(now)) });
                if (Done()) yield break;
                continue;
            }
            // Coalesce: what arrives within the interval after the last update goes out together.
            var since = now - lastSend;
            if (since < settings.MinUpdateInterval && !await DelayAsync(settings.MinUpdateInterval - since, cancellationToken)) yield break;
            lastSend = time.GetUtcNow();
            foreach (var alert in viewer.TakeAlerts())
            {
                if (!visible.TryGetValue(alert.Rig, out var v) || !v.Data.Contains(AlertTime(alert))) continue;
                yield return Item("alert", new { site = alert.Rig.Site, rig = alert.Rig.Rig, alert = alert.Alert });
                if (Done()) yield break;
            }
            bool spectrumPending = false;
            foreach (var (rig, visibility) in visible)
            {
                if (Update(rig, visibility, sentVersion, force: false) is { } update)
                {
                    yield return Item("values", update);
                    if (Done()) yield break;
                }
                if (!spectrum || feed.Find(rig) is not { } live || sentFrame.GetValueOrDefault(rig) == live.FrameVersion) continue;
                if (lastSend - lastSpectrum < settings.MinSpectrumInterval)
                {
                    spectrumPending = true;
                    continue;
                }
                sentFrame[rig] = live.FrameVersion;
                if (live.Frame is { } frame && visibility.Data.Contains(UtcTimestamp.FromNanoseconds(frame.StartNanoseconds).UtcDateTime) && spectra.Of(live) is { } view)
                {
                    lastSpectrum = lastSend;
                    yield return Item("spectrum", new { site = rig.Site, rig = rig.Rig, spectrum = view });
                    if (Done()) yield break;
                }
            }
            // A frame held back by the spectrum interval still goes out once the interval is over.
            if (spectrumPending) viewer.Wake();
        }
    }

    private object? Update(RigAddress rig, RigVisibility visibility, Dictionary<RigAddress, long> sent, bool force)
    {
        var live = feed.Find(rig);
        directory.TryGet(rig, out var entry);
        long version = live?.Version ?? 0;
        if (!force && sent.GetValueOrDefault(rig, -1) == version) return null;
        sent[rig] = version;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var plain = new Dictionary<string, double>(StringComparer.Ordinal);
        long newest = 0;
        foreach (var (sensor, value) in live?.Values() ?? [])
        {
            // The server, not the page, keeps a value out of a stream whose caller may not see that moment.
            if (!visibility.Data.Contains(UtcTimestamp.FromNanoseconds(value.TimeNs).UtcDateTime)) continue;
            values[sensor] = new { t = value.TimeNs / 1_000_000, v = value.Value };
            plain[sensor] = value.Value;
            newest = Math.Max(newest, value.TimeNs);
        }
        if (!force && values.Count == 0) return null;
        return new
        {
            site = rig.Site,
            rig = rig.Rig,
            kind = entry?.Birth?.Kind,
            online = entry?.IsOnline ?? false,
            t = newest == 0 ? (long?)null : newest / 1_000_000,
            values,
            figures = KeyFigures.Of(entry?.Birth?.Kind, plain).ToDictionary(kv => kv.Key, kv => new { v = kv.Value.Value, unit = kv.Value.Unit }),
        };
    }

    private static DateTime AlertTime(ReceivedAlert alert) =>
        UtcTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(alert.Alert.T), out long ns) ? UtcTimestamp.FromNanoseconds(ns).UtcDateTime : alert.ReceivedAt.UtcDateTime;

    private SseItem<string> Item(string type, object data) => new(JsonSerializer.Serialize(data, json.Value.SerializerOptions), type);

    private static async Task<bool> WaitAsync(LiveViewer viewer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { return await viewer.WaitAsync(timeout, cancellationToken); }
        catch (OperationCanceledException) { return false; }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }
}
