using System.Net;
using System.Text.Json;

namespace Fieldlab.Api.Tests.Access;

/// <summary>A school's own identity provider: the API takes its JWT access tokens (discovery + JWKS), maps its roles
/// to Fieldlab roles, follows key rotation, and refuses a wrong issuer, a wrong audience, an expired token, an unsigned
/// one and one signed with a key the provider never published.</summary>
[Collection("access-sqlite")]
public sealed class OidcTests(SqliteAccessFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> MeAsync(string token)
    {
        using var client = fixture.Api.Client(token);
        using var response = await client.GetAsync("/api/me");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task ProviderToken_WithAMappedRole_SignsInAsThatRoleAtTheConfiguredSite()
    {
        var (status, me) = await MeAsync(fixture.Oidc.Token("t-1", "Juf.Jansen@School", ["teacher"]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Instructor", me.GetProperty("role").GetString());
        Assert.Equal("techport", me.GetProperty("site").GetString());
        Assert.Equal("oidc", me.GetProperty("sign_in").GetString());
        Assert.Equal("juf-jansen-school", me.GetProperty("user_name").GetString());
        // The same subject again is the same account, also with another name claim.
        var (again, me2) = await MeAsync(fixture.Oidc.Token("t-1", "renamed", ["teacher"]));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("juf-jansen-school", me2.GetProperty("user_name").GetString());
    }

    [Fact]
    public async Task RoleTakenAwayAtTheProvider_IsTakenAwayHere()
    {
        Assert.Equal("Instructor", (await MeAsync(fixture.Oidc.Token("t-2", "wisselaar", ["teacher"]))).Body.GetProperty("role").GetString());
        Assert.Equal("Student", (await MeAsync(fixture.Oidc.Token("t-2", "wisselaar", ["learner"]))).Body.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-2", "wisselaar", ["parent"]))).Status);
    }

    [Fact]
    public async Task WrongIssuer_WrongAudience_Expired_Unsigned_OrUnknownKey_AreRefused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-3", "x", ["teacher"], issuer: "https://idp.example.org/"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-3", "x", ["teacher"], audience: "another-app"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-3", "x", ["teacher"], lifetime: TimeSpan.FromMinutes(1), notBefore: DateTime.UtcNow.AddMinutes(-10)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.UnsignedToken("t-3", "x", ["teacher"]))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-3", "x", ["teacher"], key: OidcIssuer.NewKey()))).Status);
        // None of them made an account.
        await fixture.Api.WithStoreAsync(async (db, users) => Assert.Null(await users.FindByNameAsync("x")));
    }

    [Fact]
    public async Task KeyRotation_ANewKeyIsTakenUp_AndAWithdrawnKeyStopsWorking()
    {
        var old = fixture.Oidc.Current;
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"]))).Status);
        // The provider publishes a new key and signs with it: a token naming the unknown key makes the API fetch the keys
        // again (at most once per RefreshInterval); from then on the new key is accepted.
        fixture.Oidc.Rotate(keepOld: true);
        await Fieldlab.Testing.Eventually.HoldsAsync(async () => (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"]))).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"], key: old))).Status);
        // It withdraws the old key: once the keys are fetched again — every KeyRefreshInterval, or at once when a token
        // names a key the API does not know (here: one the provider never published) — tokens signed with it are refused.
        fixture.Oidc.Rotate(keepOld: false);
        await Fieldlab.Testing.Eventually.HoldsAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"], key: OidcIssuer.NewKey()))).Status);
            return (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"], key: old))).Status == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(15));
        await Fieldlab.Testing.Eventually.HoldsAsync(async () => (await MeAsync(fixture.Oidc.Token("t-4", "roteer", ["teacher"]))).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10));
    }
}
