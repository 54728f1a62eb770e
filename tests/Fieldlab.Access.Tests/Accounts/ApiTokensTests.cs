using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Accounts;

/// <summary>Personal API tokens on a SQLite store: a made token verifies as its owner until it expires or is revoked;
/// anything else is refused with the documented reason, and a wrong secret looks exactly like an unknown id.</summary>
public sealed class ApiTokensTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 10, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TestStore _store = null!;
    private string _userId = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.SqliteAsync();
        await using var scope = _store.Scope();
        var user = await UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("admin", Role.Administrator, null, null, null), Now, Ct);
        _userId = user.Id;
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<string> CreateAsync(TimeSpan lifetime)
    {
        await using var scope = _store.Scope();
        var (token, text) = await ApiTokens.CreateAsync(scope.Db, _userId, "script", lifetime, Now, Ct);
        Assert.StartsWith($"{ApiTokens.Prefix}_{token.Id}_", text, StringComparison.Ordinal);
        return text;
    }

    private async Task<(string? UserId, string? Refusal)> VerifyAsync(string? text, DateTime at)
    {
        await using var scope = _store.Scope();
        return await ApiTokens.VerifyAsync(scope.Db, text, at, Ct);
    }

    [Fact]
    public async Task VerifyAsync_FreshToken_IsItsOwner()
    {
        var text = await CreateAsync(TimeSpan.FromDays(30));
        Assert.Equal((_userId, (string?)null), await VerifyAsync(text, Now));
        Assert.Equal((_userId, (string?)null), await VerifyAsync(text, Now.AddDays(30).AddTicks(-1)));
    }

    [Fact]
    public async Task VerifyAsync_Expired_IsRefused()
    {
        var text = await CreateAsync(TimeSpan.FromHours(1));
        Assert.Equal(((string?)null, "token expired"), await VerifyAsync(text, Now.AddHours(1)));
        Assert.Equal(((string?)null, "token expired"), await VerifyAsync(text, Now.AddDays(3)));
    }

    [Fact]
    public async Task VerifyAsync_Revoked_IsRefused()
    {
        var text = await CreateAsync(TimeSpan.FromDays(30));
        await using (var scope = _store.Scope())
        {
            var token = await scope.Db.ApiTokens.SingleAsync(Ct);
            token.RevokedAt = Now.AddMinutes(5);
            await scope.Db.SaveChangesAsync(Ct);
        }
        Assert.Equal(((string?)null, "token revoked"), await VerifyAsync(text, Now.AddMinutes(10)));
    }

    [Fact]
    public async Task VerifyAsync_TamperedSecret_IsRefusedLikeAnUnknownId()
    {
        var text = await CreateAsync(TimeSpan.FromDays(30));
        var random = new Random(42);
        for (int i = 0; i < 50; i++)
        {
            // Change one character of the secret part (after "flt_" + 12-character id + "_").
            int at = random.Next(4 + 12 + 1, text.Length);
            var chars = text.ToCharArray();
            chars[at] = chars[at] == 'A' ? 'B' : 'A';
            var tampered = new string(chars);
            Assert.Equal(((string?)null, "unknown token"), await VerifyAsync(tampered, Now));
        }
        Assert.Equal(((string?)null, "unknown token"), await VerifyAsync(text + "x", Now));
        Assert.Equal(((string?)null, "unknown token"), await VerifyAsync(text[..^1], Now));
    }

    [Fact]
    public async Task VerifyAsync_UnknownId_IsRefused()
    {
        var text = await CreateAsync(TimeSpan.FromDays(30));
        var otherId = new string(text.Substring(4, 12).Select(c => c == 'a' ? 'b' : 'a').ToArray());
        Assert.Equal(((string?)null, "unknown token"), await VerifyAsync($"flt_{otherId}{text[16..]}", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("fli_abcdefghijkm_secret")]
    [InlineData("flt_short_secret")]
    [InlineData("flt_abcdefghijkm_")]
    public async Task VerifyAsync_NotAToken_IsRefused(string? text)
    {
        Assert.Equal(((string?)null, "not a Fieldlab token"), await VerifyAsync(text, Now));
    }

    [Fact]
    public async Task VerifyAsync_RevokedAndExpired_SaysRevoked()
    {
        var text = await CreateAsync(TimeSpan.FromHours(1));
        await using (var scope = _store.Scope())
        {
            (await scope.Db.ApiTokens.SingleAsync(Ct)).RevokedAt = Now;
            await scope.Db.SaveChangesAsync(Ct);
        }
        Assert.Equal(((string?)null, "token revoked"), await VerifyAsync(text, Now.AddDays(1)));
    }

    [Fact]
    public async Task CreateAsync_StoresOnlyTheSecretsHash()
    {
        var text = await CreateAsync(TimeSpan.FromDays(1));
        await using var scope = _store.Scope();
        var token = await scope.Db.ApiTokens.AsNoTracking().SingleAsync(Ct);
        var secret = text[(4 + 12 + 1)..];
        Assert.Equal(TokenText.Hash(secret), token.SecretHash);
        Assert.True(secret.Length >= 43, "a 256-bit secret");
    }

    [Fact]
    public async Task CreateAsync_TwoTokens_AreDifferent()
    {
        var a = await CreateAsync(TimeSpan.FromDays(1));
        var b = await CreateAsync(TimeSpan.FromDays(1));
        Assert.NotEqual(a[..16], b[..16]);
        Assert.NotEqual(a[17..], b[17..]);
        Assert.Equal(_userId, (await VerifyAsync(a, Now)).UserId);
        Assert.Equal(_userId, (await VerifyAsync(b, Now)).UserId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(367 * 24)]
    public async Task CreateAsync_LifetimeOutOfRange_IsRefused(int hours)
    {
        await using var scope = _store.Scope();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ApiTokens.CreateAsync(scope.Db, _userId, "x", TimeSpan.FromHours(hours), Now, Ct));
        Assert.Equal(0, await scope.Db.ApiTokens.CountAsync(Ct));
    }
}
