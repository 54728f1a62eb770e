using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Fieldlab.Cli.Bench;

/// <summary>A plain Server-Sent-Events viewer of a site's live stream, as a script or a dashboard would hold one open:
/// counts the <c>values</c> events and how old each one's newest sample is on arrival.</summary>
internal sealed class SseViewer
{
    private readonly Lock _gate = new();
    private List<double> _latencies = [];
    private long _events;

    /// <summary>Every viewer started in this process.</summary>
    public static ConcurrentBag<SseViewer> All { get; } = [];

    /// <summary>Opens one stream with a bearer token and reads it until cancelled.</summary>
    public static async Task RunAsync(string api, string token, CancellationToken cancellationToken)
    {
        var viewer = new SseViewer();
        All.Add(viewer);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/api/sites/techport/live");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? type = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "values") viewer.Take(line[6..]);
            else if (line.Length == 0) type = null;
        }
    }

    private void Take(string json)
    {
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.Number)
        {
            lock (_gate) _latencies.Add(now - t.GetDouble());
        }
        Interlocked.Increment(ref _events);
    }

    /// <summary>Forgets what was counted so far (after the warm-up).</summary>
    public void Reset()
    {
        lock (_gate) _latencies = [];
        Interlocked.Exchange(ref _events, 0);
    }

    /// <summary>What was counted since the last reset.</summary>
    public (long Events, List<double> Latencies) Snapshot()
    {
        lock (_gate) return (Interlocked.Read(ref _events), [.. _latencies]);
    }
}
