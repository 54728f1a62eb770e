using System.Net.Http.Headers;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Cli.Access;

namespace Fieldlab.Cli.Datasets;

/// <summary>Calls the API as a user of the local store: a personal token made for the call, and API problems turned
/// into one-line usage errors.</summary>
internal static class ApiCall
{
    /// <summary>The MQTT port of <c>./fieldlab up</c> (or <c>FIELDLAB_MQTT_PORT</c>).</summary>
    public static int MqttPort => int.TryParse(Environment.GetEnvironmentVariable("FIELDLAB_MQTT_PORT"), out int port) ? port : 21883;

    /// <summary>A client with a personal token of <paramref name="user"/> (10 minutes unless <paramref name="lifetime"/>), made in the local store for this one call.</summary>
    internal static async Task<HttpClient> ClientAsync(string state, string api, string user, CancellationToken cancellationToken, string purpose = "dataset command", TimeSpan? lifetime = null)
    {
        await using var context = await AccessContext.OpenAsync(state, MqttPort, cancellationToken);
        var account = await context.Users.FindByNameAsync(user) ?? throw new UsageException($"no user '{user}' (./fieldlab users list)");
        var (_, token) = await ApiTokens.CreateAsync(context.Db, account.Id, purpose, lifetime ?? TimeSpan.FromMinutes(10), DateTime.UtcNow, cancellationToken);
        var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The response as JSON, or a usage error with the API's problem in one line.</summary>
    internal static async Task<JsonDocument> EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(text);
        string detail = text;
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            detail = root.TryGetProperty("errors", out var errors)
                ? string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(x => x.GetString()))}"))
                : root.TryGetProperty("detail", out var d) ? d.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            // Not a problem document: the text says it.
        }
        throw new UsageException($"the API answered {(int)response.StatusCode}: {detail}");
    }
}
