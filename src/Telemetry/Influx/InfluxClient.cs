using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Fieldlab.Telemetry.Influx;

/// <summary>A small client for the InfluxDB 1.x HTTP API: <c>/write</c> (line protocol), <c>/query</c> (InfluxQL with
/// bound parameters) and <c>/ping</c>. The only place in Fieldlab that talks HTTP to the database.</summary>
/// <remarks>Transient failures are retried with jittered exponential backoff (honouring Retry-After) behind a circuit
/// breaker; every failure leaves as an <see cref="InfluxException"/> that says whether it is transient.</remarks>
public sealed partial class InfluxClient : IDisposable
{
    private static readonly MediaTypeHeaderValue PlainText = new("text/plain") { CharSet = "utf-8" };

    private readonly InfluxOptions _options;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Creates a client; <paramref name="handler"/> is for tests that need a custom transport.</summary>
    public InfluxClient(InfluxOptions options, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException("Invalid InfluxDB options: " + string.Join(" ", problems), nameof(options));
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 16 })
        {
            BaseAddress = new Uri(options.Url.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's per-attempt timeout governs
        };
        if (options.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (options.Username is not null)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }
        _pipeline = BuildPipeline(options);
    }

    /// <summary>The options this client was made with.</summary>
    public InfluxOptions Options => _options;

    /// <summary>Checks that the server answers; returns its version. Not retried: it is a health probe.</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.GetAsync("ping", timeout.Token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "ping", isWrite: false, timeout.Token).ConfigureAwait(false);
            return response.Headers.TryGetValues("X-Influxdb-Version", out var v) ? string.Join(",", v) : "unknown";
        }
        catch (Exception e) when (Translate(e, "ping", cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Writes line protocol (nanosecond timestamps) to the configured database and retention policy.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken cancellationToken) =>
        WriteAsync(lineProtocol, _options.Database, _options.RetentionPolicy, cancellationToken);

    /// <summary>Writes line protocol (nanosecond timestamps) to a given database and retention policy.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, string database, string? retentionPolicy, CancellationToken cancellationToken)
    {
        if (lineProtocol.IsEmpty) return;
        var path = "write?db=" + Uri.EscapeDataString(database) + "&precision=ns"
            + (string.IsNullOrEmpty(retentionPolicy) ? "" : "&rp=" + Uri.EscapeDataString(retentionPolicy));
        await RunAsync("write", async token =>
        {
            using var content = new ReadOnlyMemoryContent(lineProtocol);
            content.Headers.ContentType = PlainText;
            using var response = await _http.PostAsync(path, content, token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "write", isWrite: true, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one InfluxQL statement against the configured (or given) database and returns its series.</summary>
    public async Task<InfluxQueryResult> QueryAsync(InfluxQuery query, CancellationToken cancellationToken, string? database = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var form = new List<KeyValuePair<string, string>>
        {
            new("db", database ?? _options.Database),
            new("q", query.Text),
            new("epoch", "ns"),
        };
        if (query.ParametersJson is { } parameters) form.Add(new("params", parameters));
        return await RunAsync("query", async token =>
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await _http.PostAsync("query", content, token).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "query", isWrite: false, token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: token).ConfigureAwait(false);
            return ParseSingleResult(document.RootElement, query);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the configured database if it does not exist (idempotent).</summary>
    public Task EnsureDatabaseAsync(CancellationToken cancellationToken) =>
        QueryAsync(new InfluxQuery("CREATE DATABASE " + InfluxIdentifier.Quote(_options.Database)), cancellationToken, database: "");

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static async (state, token) => await state(token).ConfigureAwait(false), call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(e, operation, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private Exception? Translate(Exception error, string operation, CancellationToken cancellationToken) => error switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null, // cancellation stays cancellation
        InfluxException => null,
        BrokenCircuitException => new InfluxException($"InfluxDB {operation} skipped: the circuit is open after repeated failures at {_options.Url}.", isTransient: true, inner: error),
        TimeoutRejectedException or OperationCanceledException => new InfluxException($"InfluxDB {operation} timed out after {_options.RequestTimeout}.", isTransient: true, inner: error),
        HttpRequestException http => new InfluxException($"InfluxDB {operation} failed: {http.Message}", isTransient: true, inner: error),
        _ => null,
    };

    private static ResiliencePipeline BuildPipeline(InfluxOptions options)
    {
        var transient = new PredicateBuilder()
            .Handle<InfluxException>(e => e.IsTransient)
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = static args => ValueTask.FromResult(
                    args.Outcome.Exception is InfluxRetryAfterException { RetryAfter: { } after } ? after : (TimeSpan?)null),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = 0.8,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(10),
            BreakDuration = options.BreakDuration,
        });
        builder.AddTimeout(options.RequestTimeout);
        return builder.Build();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, bool isWrite, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var detail = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var message = $"InfluxDB {operation} failed with HTTP {status}: {detail}";
        switch (response.StatusCode)
        {
            case HttpStatusCode.BadRequest when isWrite:
                throw new InfluxWriteRejectedException(message, status);
            case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                throw new InfluxRetryAfterException(message, status, response.Headers.RetryAfter?.Delta);
            case >= HttpStatusCode.InternalServerError:
                throw new InfluxException(message, isTransient: true, status);
            default:
                throw new InfluxException(message, isTransient: false, status);
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("error", out var error)) return error.GetString() ?? text;
        }
        catch (JsonException)
        {
            // Not JSON: report the raw text.
        }
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    private static InfluxQueryResult ParseSingleResult(JsonElement root, InfluxQuery query)
    {
        if (root.TryGetProperty("error", out var topError)) throw new InfluxException($"InfluxDB query failed: {topError.GetString()} ({query.Text})", isTransient: false);
        var results = root.GetProperty("results");
        if (results.GetArrayLength() != 1) throw new InfluxException($"Expected one statement result, got {results.GetArrayLength()} ({query.Text}).", isTransient: false);
        var result = results[0];
        if (result.TryGetProperty("error", out var error)) throw new InfluxException($"InfluxDB query failed: {error.GetString()} ({query.Text})", isTransient: false);
        var series = new List<InfluxSeries>();
        if (result.TryGetProperty("series", out var seriesArray))
        {
            foreach (var s in seriesArray.EnumerateArray())
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                if (s.TryGetProperty("tags", out var tagObject))
                {
                    foreach (var tag in tagObject.EnumerateObject()) tags[tag.Name] = tag.Value.GetString() ?? "";
                }
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
                var rows = new List<JsonElement[]>();
                if (s.TryGetProperty("values", out var values))
                {
                    foreach (var row in values.EnumerateArray())
                    {
                        rows.Add(row.EnumerateArray().Select(cell => cell.Clone()).ToArray());
                    }
                }
                series.Add(new InfluxSeries(s.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "", tags, columns, rows));
            }
        }
        return new InfluxQueryResult(series);
    }
}

/// <summary>A 429/503 answer, carrying the server's Retry-After for the retry strategy.</summary>
internal sealed class InfluxRetryAfterException(string message, int statusCode, TimeSpan? retryAfter) : InfluxException(message, isTransient: true, statusCode)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
