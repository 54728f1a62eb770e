using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Tests.Session;

/// <summary>Signing in with a local account: wrong passwords lock the account for a while and are logged; the answer
/// never tells whether a user exists or is locked; the console's cookie is HttpOnly and SameSite=Strict (Secure over
/// TLS), and state changes made with it need the antiforgery token.</summary>
[Collection("servers")]
public sealed class SignInTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly SmallTenancy _tenancy = new();
    private ApiUnderTest _api = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _api = await ApiUnderTest.StartAsync(servers.Influx, null, _tenancy.SeedAsync, settings: new Dictionary<string, string?> { ["Access:Lockout"] = "00:00:03" });

    /// <inheritdoc />
    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> TokenAsync(string user, string password)
    {
        using var client = _api.Anonymous();
        using var response = await client.PostAsJsonAsync("/api/session/token", new { user_name = user, password, name = "t", valid_for = "1h" });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Answer(string body)
    {
        var json = JsonDocument.Parse(body).RootElement;
        return json.GetProperty("title").GetString() + " | " + json.GetProperty("detail").GetString();
    }

    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccountForAWhile_AndAreLogged()
    {
        for (int i = 0; i < Fieldlab.Access.Store.MetadataStore.MaxFailedSignIns; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync("pupil", "wrong " + i)).Status);
        // Locked: even the right password is refused now, with the same answer as a wrong one.
        var locked = await TokenAsync("pupil", _tenancy.Passwords["pupil"]);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        await _api.WithStoreAsync(async (db, users) =>
        {
            var actions = await db.Audit.Where(a => a.Actor == "pupil").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["signin.failed", "signin.failed", "signin.failed", "signin.failed", "signin.lockout", "signin.locked"], actions);
            Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("pupil"))!));
        });
        // The lock ends by itself (3 s here; 5 minutes by default).
        await Eventually.HoldsAsync(async () => (await TokenAsync("pupil", _tenancy.Passwords["pupil"])).Status == HttpStatusCode.Created, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task UnknownUser_WrongPassword_AndLockedAccount_GetTheSameAnswer()
    {
        var unknown = await TokenAsync("nobody-here", "whatever password");
        var wrong = await TokenAsync("teacher", "whatever password");
        for (int i = 0; i < 5; i++) await TokenAsync("member", "nope");
        var locked = await TokenAsync("member", _tenancy.Passwords["member"]);
        Assert.All(new[] { unknown, wrong, locked }, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Equal(Answer(unknown.Body), Answer(wrong.Body));
        Assert.Equal(Answer(unknown.Body), Answer(locked.Body));
        // An unknown name is logged too (for the operator), but it cannot be locked: the same answer stays the same.
        await _api.WithStoreAsync(async (db, _) => Assert.True(await db.Audit.AnyAsync(a => a.Actor == "nobody-here" && a.Action == "signin.failed")));
    }

    [Fact]
    public async Task ConsoleCookie_IsHttpOnlyAndStrict_AndStateChangesNeedTheAntiforgeryToken()
    {
        using var browser = _api.Anonymous();
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/session/antiforgery");
        var field = antiforgery.GetProperty("form_field").GetString()!;
        var header = antiforgery.GetProperty("header").GetString()!;
        var token = antiforgery.GetProperty("token").GetString()!;

        // Without the form's token the sign-in is refused (login CSRF).
        using (var forged = await browser.PostAsync("/api/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "teacher", ["password"] = _tenancy.Passwords["teacher"] })))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var signedIn = await browser.PostAsync("/api/session", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "teacher", ["password"] = _tenancy.Passwords["teacher"], [field] = token,
        }));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fieldlab.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain HTTP on loopback
        Assert.Equal("teacher", (await browser.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("user_name").GetString());

        // A state change with the cookie alone is refused; with the antiforgery token (of the signed-in session) it passes.
        using (var refused = await browser.PostAsJsonAsync("/api/me/tokens", new { name = "x" })) Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var sessionToken = (await browser.GetFromJsonAsync<JsonElement>("/api/session/antiforgery")).GetProperty("token").GetString()!;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/me/tokens") { Content = JsonContent.Create(new { name = "x" }) })
        {
            request.Headers.Add(header, sessionToken);
            using var made = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/api/session"))
        {
            request.Headers.Add(header, sessionToken);
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(request)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task ConsoleCookie_IsSecure_WhenServedOverTls()
    {
        using var browser = _api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/session/antiforgery");
        using var signedIn = await browser.PostAsync("/api/session", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = _tenancy.Passwords["admin"], [antiforgery.GetProperty("form_field").GetString()!] = antiforgery.GetProperty("token").GetString()!,
        }));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("secure", signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fieldlab.session=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ErasedAccount_LosesItsSessionAndTokens_AndTheAuditKeepsOnlyAPseudonym()
    {
        var (status, body) = await TokenAsync("pupil", _tenancy.Passwords["pupil"]);
        Assert.Equal(HttpStatusCode.Created, status);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
        using var pupil = _api.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await pupil.GetAsync("/api/me")).StatusCode);
        await TokenAsync("pupil", "a wrong one"); // an audit line under the pupil's name
        using var admin = _api.Client(await _api.TokenAsync("admin"));
        using var erased = await admin.DeleteAsync("/api/users/pupil");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var pseudonym = (await erased.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erased").GetString()!;
        Assert.StartsWith("erased:", pseudonym);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pupil.GetAsync("/api/me")).StatusCode);
        await _api.WithStoreAsync(async (db, _) =>
        {
            Assert.False(await db.Audit.AnyAsync(a => a.Actor == "pupil" || a.Target == "pupil"));
            Assert.True(await db.Audit.AnyAsync(a => a.Actor == pseudonym));
            Assert.True(await db.Erasures.AnyAsync(e => e.Kind == "user" && e.Detail.Contains(pseudonym)));
        });
        // Its broker login is gone too.
        await Assert.ThrowsAsync<Fieldlab.Telemetry.Mqtt.MqttException>(() => Fieldlab.Telemetry.Mqtt.MqttConnection.ConnectAsync(_api.BrokerLogin("pupil"), null, CancellationToken.None));
    }
}
