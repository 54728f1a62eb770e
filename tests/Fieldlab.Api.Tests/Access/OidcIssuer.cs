using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fieldlab.LocalServers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fieldlab.Api.Tests.Access;

/// <summary>A small OpenID Connect issuer of the tests' own, on loopback (no identity provider runs here): a discovery
/// document and a JWKS with the current signing keys, and tokens signed by them. Keys can be rotated, and tokens made
/// wrong in every way the API must refuse (issuer, audience, expiry, <c>alg: none</c>, a key the issuer never published).</summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];
    private readonly object _gate = new();

    private OidcIssuer(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}";
    }

    /// <summary>The issuer URL (also the <c>iss</c> of its tokens).</summary>
    public string Url { get; }

    /// <summary>The audience its tokens are for.</summary>
    public const string Audience = "fieldlab";

    /// <summary>The key new tokens are signed with.</summary>
    public RsaSecurityKey Current { get; private set; } = NewKey();

    /// <summary>Starts the issuer with one published key.</summary>
    public static async Task<OidcIssuer> StartAsync()
    {
        int port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var issuer = new OidcIssuer(app, port);
        issuer._published.Add(issuer.Current);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Url,
            ["jwks_uri"] = issuer.Url + "/jwks",
            ["authorization_endpoint"] = issuer.Url + "/authorize",
            ["token_endpoint"] = issuer.Url + "/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
        }));
        app.MapGet("/jwks", () =>
        {
            lock (issuer._gate)
            {
                return Results.Json(new { keys = issuer._published.Select(Jwk).ToArray() });
            }
        });
        await app.StartAsync();
        return issuer;
    }

    /// <summary>Publishes a new key, signs with it from now on, and (unless <paramref name="keepOld"/>) withdraws the old one.</summary>
    public void Rotate(bool keepOld)
    {
        lock (_gate)
        {
            var next = NewKey();
            if (!keepOld) _published.Clear();
            _published.Add(next);
            Current = next;
        }
    }

    /// <summary>A signed access token.</summary>
    public string Token(string subject, string userName, IEnumerable<string> roles, string? issuer = null, string? audience = null,
        TimeSpan? lifetime = null, SecurityKey? key = null, DateTime? notBefore = null)
    {
        var now = notBefore ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["preferred_username"] = userName, ["roles"] = roles.ToArray() };
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? Current, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with valid-looking claims.</summary>
    public string UnsignedToken(string subject, string userName, IEnumerable<string> roles)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Url, ["aud"] = Audience, ["sub"] = subject, ["preferred_username"] = userName, ["roles"] = roles.ToArray(),
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
        });
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64(payload)}.";
    }

    /// <summary>A key the issuer never published.</summary>
    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..16] };

    private static object Jwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
