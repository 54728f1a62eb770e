using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Ingest;

/// <summary>Calls the ingest service's own endpoints (re-baseline, quarantine, model state) with the API's service key:
/// people never hold ingest's credentials, they hold rights in the API.</summary>
public sealed class IngestClient
{
    private readonly HttpClient _http;

    /// <summary>Creates the client from the options.</summary>
    public IngestClient(IOptions<IngestServiceOptions> options)
    {
        var o = options.Value;
        _http = new HttpClient { BaseAddress = new Uri(o.Url.TrimEnd('/') + "/"), Timeout = o.Timeout };
        if (o.KeyFile is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(o.KeyFile).Trim());
    }

    /// <summary>Forwards a call; returns status and body (JSON text), or 503 with the reason when ingest cannot be reached.</summary>
    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
            using var response = await _http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (503, System.Text.Json.JsonSerializer.Serialize(new { title = "Ingest unavailable", detail = e.Message }));
        }
    }
}
