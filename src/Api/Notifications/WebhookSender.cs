using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Notifications;

/// <summary>Posts a message's JSON to a person's webhook, signed (<see cref="WebhookSignature"/>), once per call;
/// <see cref="DeliveryAttempts"/> retries. Redirects are not followed and only acceptable addresses are connected to
/// (<see cref="WebhookAddress"/>).</summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates the client from the options.</summary>
    public WebhookSender(IOptions<NotificationOptions> options)
    {
        var o = options.Value;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = WebhookAddress.Connector(o.AllowPrivateWebhooks),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = o.Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Fieldlab", "1"));
    }

    /// <summary>One try; throws <see cref="DeliveryException"/> when the receiver did not take it.</summary>
    public async Task SendAsync(string url, string secret, byte[] body, string delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, body));
        request.Headers.Add("X-Fieldlab-Delivery", delivery);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException(e is TaskCanceledException ? $"no answer within {_http.Timeout.TotalSeconds:F0} s" : e.Message, permanent: false);
        }
        using (response)
        {
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return;
            // A receiver that refuses the message (4xx) will refuse it again; one that is overloaded or down may not.
            throw new DeliveryException($"the receiver answered {status} {response.ReasonPhrase}", permanent: status is >= 400 and < 500 and not (408 or 429));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>A try that did not deliver; <see cref="Permanent"/> when trying again cannot help.</summary>
public sealed class DeliveryException(string message, bool permanent) : Exception(message)
{
    /// <summary>Trying again cannot help (the receiver refused the message itself).</summary>
    public bool Permanent { get; } = permanent;
}
