using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Api.Tests;

/// <summary>An HTTP server of the test's own on 127.0.0.1 (a port the system picks): records every request and answers
/// with the status <see cref="Answer"/> gives — a webhook receiver, or ingest's stand-in.</summary>
public sealed class LocalHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHttpReceiver(WebApplication app) => _app = app;

    /// <summary>Every request, in order of arrival.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>The status to answer a request with (default 200).</summary>
    public Func<ReceivedRequest, int> Answer { get; set; } = _ => 200;

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The requests to one path.</summary>
    public IReadOnlyList<ReceivedRequest> To(string path) => [.. Received.Where(r => r.Path == path)];

    /// <summary>Starts it.</summary>
    public static async Task<LocalHttpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "receiver", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LocalHttpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
            receiver.Received.Enqueue(request);
            context.Response.StatusCode = receiver.Answer(request);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"detail\":\"received by the test\"}");
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First();
        return receiver;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="LocalHttpReceiver"/> received.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as JSON.</summary>
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement.Clone();
}
