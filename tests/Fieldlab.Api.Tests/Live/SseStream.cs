using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Fieldlab.Api.Tests.Live;

/// <summary>One event of a live stream, with when it arrived (since the stream opened).</summary>
internal sealed record LiveEvent(string Type, JsonElement Data, TimeSpan At)
{
    public override string ToString() => $"{At.TotalMilliseconds:F0} ms {Type}: {Data.GetRawText()}";
}

/// <summary>A Server-Sent Events response read event by event. Every read is bounded: a stream that stays silent fails
/// the test with what it received so far instead of hanging it.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _read = new();
    private readonly IAsyncEnumerator<SseItem<string>> _events;
    private readonly Stopwatch _clock;
    private readonly List<LiveEvent> _received = [];
    private bool _ended;

    private SseStream(string url, HttpResponseMessage response, Stream body, Stopwatch clock)
    {
        Url = url;
        _response = response;
        _clock = clock;
        _events = SseParser.Create(body).EnumerateAsync(_read.Token).GetAsyncEnumerator(_read.Token);
    }

    /// <summary>The path read.</summary>
    public string Url { get; }

    /// <summary>Every event read so far, in order.</summary>
    public IReadOnlyList<LiveEvent> Received => _received;

    /// <summary>Opens <paramref name="url"/> and checks that it answers 200 with <c>text/event-stream</c>.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var headers = new CancellationTokenSource(timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"GET {url}: no response headers within {timeout.TotalSeconds:F0} s.");
        }
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(headers.Token);
            response.Dispose();
            Assert.Fail($"GET {url}: {(int)response.StatusCode} {text}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(headers.Token);
        return new SseStream(url, response, body, clock);
    }

    /// <summary>The next event, or null when the server ended the stream; fails after <paramref name="timeout"/> of silence.</summary>
    public async Task<LiveEvent?> NextAsync(TimeSpan timeout)
    {
        if (_ended) return null;
        _read.CancelAfter(timeout);
        var move = _events.MoveNextAsync().AsTask();
        // The token should end the read; the second deadline holds even if a stream ignores it.
        var first = await Task.WhenAny(move, Task.Delay(timeout + TimeSpan.FromSeconds(5)));
        bool got;
        try
        {
            got = first == move ? await move : throw new OperationCanceledException();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Url}: no event within {timeout.TotalSeconds:F0} s. Received so far:\n{Describe()}");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The server failed mid-stream (an exception in the endpoint aborts the response).
            throw new InvalidOperationException($"{Url}: the stream broke ({e.InnerException?.Message ?? e.Message}). Received so far:\n{Describe()}", e);
        }
        _read.CancelAfter(Timeout.InfiniteTimeSpan);
        if (!got)
        {
            _ended = true;
            return null;
        }
        var item = _events.Current;
        JsonElement data;
        try
        {
            using var document = JsonDocument.Parse(item.Data);
            data = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Url}: event '{item.EventType}' carries no JSON ({e.Message}): {item.Data}");
        }
        var received = new LiveEvent(item.EventType, data, _clock.Elapsed);
        _received.Add(received);
        return received;
    }

    /// <summary>Reads until an event of <paramref name="type"/> matching <paramref name="match"/> arrives, at most <paramref name="within"/>.</summary>
    public async Task<LiveEvent> UntilAsync(string type, Func<JsonElement, bool> match, TimeSpan within, string what)
    {
        var deadline = _clock.Elapsed + within;
        while (true)
        {
            var left = deadline - _clock.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{Url}: {what} did not arrive within {within.TotalSeconds:F0} s. Received:\n{Describe()}");
            LiveEvent? next;
            try
            {
                next = await NextAsync(left);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"{Url}: {what} did not arrive within {within.TotalSeconds:F0} s. Received:\n{Describe()}");
            }
            if (next is null) throw new InvalidOperationException($"{Url}: the stream ended before {what}. Received:\n{Describe()}");
            if (next.Type == type && match(next.Data)) return next;
        }
    }

    /// <summary>What was received, for failure messages (the newest 40 events).</summary>
    public string Describe() => _received.Count == 0 ? "(nothing)" : string.Join("\n", _received.TakeLast(40));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Dropping the response aborts the request, which ends the server's stream.
        await _read.CancelAsync();
        _response.Dispose();
        try
        {
            await _events.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Cancelled on purpose, or a read still pending on the disposed body.
        }
        _read.Dispose();
    }
}
