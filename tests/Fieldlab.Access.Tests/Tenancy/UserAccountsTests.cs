using Fieldlab.Access.Rights;
using Fieldlab.Access.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Tenancy;

/// <summary><see cref="UserAccounts"/> on a SQLite store: an account's role must fit where it applies, its name must be a
/// person's broker user name (never a machine's), its password long enough, its name new; a refused account is not made.</summary>
public sealed class UserAccountsTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 10, 6, 9, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Password = "long-enough-password";
    private TestStore _store = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _store = await TestStore.SqliteAsync();
        await using var scope = _store.Scope();
        await SiteRegistry.AddSiteAsync(scope.Db, "techport", null, Now, Ct);
        await SiteRegistry.AddOrganisationAsync(scope.Db, "pilot-a", null, Now, Ct);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<TenancyException> RefusedAsync(NewAccount account)
    {
        await using var scope = _store.Scope();
        var e = await Assert.ThrowsAsync<TenancyException>(() => UserAccounts.CreateAsync(scope.Users, scope.Db, account, Now, Ct));
        await using var check = _store.Scope();
        Assert.Null(await check.Users.FindByNameAsync(account.UserName));
        return e;
    }

    private async Task CreateAsync(NewAccount account)
    {
        await using var scope = _store.Scope();
        await UserAccounts.CreateAsync(scope.Users, scope.Db, account, Now, Ct);
    }

    [Fact]
    public async Task CreateAsync_EveryRoleWhereItApplies_IsMade()
    {
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, Password));
        await CreateAsync(new NewAccount("ina", Role.Instructor, "techport", null, Password));
        await CreateAsync(new NewAccount("anna", Role.CompanyMember, null, "pilot-a", Password));
        await CreateAsync(new NewAccount("root", Role.Administrator, null, null, Password));
        await CreateAsync(new NewAccount("oidc-user", Role.Student, "techport", null, null, ExternalSubject: "https://idp|42"));
        await using var scope = _store.Scope();
        Assert.Equal(5, await scope.Db.Users.CountAsync(Ct));
        Assert.True(await scope.Users.CheckPasswordAsync((await scope.Users.FindByNameAsync("anna"))!, Password));
        Assert.True((await scope.Users.FindByNameAsync("sam"))!.LockoutEnabled);
    }

    [Fact]
    public async Task CreateAsync_StudentWithoutSite_IsRefused()
    {
        var e = await RefusedAsync(new NewAccount("sam", Role.Student, null, null, Password));
        Assert.Equal("site", e.Field);
        Assert.Equal("site", (await RefusedAsync(new NewAccount("ina", Role.Instructor, null, null, Password))).Field);
    }

    [Fact]
    public async Task CreateAsync_UnknownSiteOrOrganisation_IsNotFound()
    {
        Assert.Equal(TenancyProblem.NotFound, (await RefusedAsync(new NewAccount("sam", Role.Student, "nowhere", null, Password))).Kind);
        Assert.Equal(TenancyProblem.NotFound, (await RefusedAsync(new NewAccount("anna", Role.CompanyMember, null, "pilot-z", Password))).Kind);
    }

    [Fact]
    public async Task CreateAsync_MemberWithoutOrganisation_IsRefused()
    {
        Assert.Equal("organisation", (await RefusedAsync(new NewAccount("anna", Role.CompanyMember, null, null, Password))).Field);
    }

    [Fact]
    public async Task CreateAsync_RoleAndPlaceThatDoNotFit_AreRefused()
    {
        Assert.Equal("site", (await RefusedAsync(new NewAccount("anna", Role.CompanyMember, "techport", "pilot-a", Password))).Field);
        Assert.Equal("organisation", (await RefusedAsync(new NewAccount("sam", Role.Student, "techport", "pilot-a", Password))).Field);
        Assert.Equal("role", (await RefusedAsync(new NewAccount("root", Role.Administrator, "techport", null, Password))).Field);
        Assert.Equal("role", (await RefusedAsync(new NewAccount("root", (Role)42, null, null, Password))).Field);
    }

    [Theory]
    [InlineData("gw.techport.pump-1")]
    [InlineData("svc.ingest-1")]
    [InlineData("anna.smith")]
    [InlineData("Anna")]
    [InlineData("anNa")]
    [InlineData("1anna")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData("anna smith")]
    [InlineData("anna:x")]
    [InlineData("anna#")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public async Task CreateAsync_NameThatIsNoPersonsBrokerName_IsRefused(string name)
    {
        var e = await RefusedAsync(new NewAccount(name, Role.Student, "techport", null, Password));
        Assert.Equal("user_name", e.Field);
    }

    [Fact]
    public async Task CreateAsync_TooShortPassword_IsRefused()
    {
        var e = await RefusedAsync(new NewAccount("sam", Role.Student, "techport", null, "123456789"));
        Assert.Equal("password", e.Field);
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, "1234567890")); // ten is enough; no composition rules
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_IsAConflict()
    {
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, Password));
        await using var scope = _store.Scope();
        var e = await Assert.ThrowsAsync<TenancyException>(() => UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("sam", Role.Administrator, null, null, Password), Now, Ct));
        Assert.Equal("user_name", e.Field);
        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        Assert.Equal(1, await scope.Db.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_DuplicateExternalSubject_IsAConflict()
    {
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, null, ExternalSubject: "https://idp.example|42"));
        await using var scope = _store.Scope();
        var e = await Assert.ThrowsAsync<TenancyException>(() =>
            UserAccounts.CreateAsync(scope.Users, scope.Db, new NewAccount("sam2", Role.Student, "techport", null, null, ExternalSubject: "https://idp.example|42"), Now, Ct));
        Assert.Equal(TenancyProblem.Conflict, e.Kind);
        await using var check = _store.Scope();
        Assert.Equal(1, await check.Db.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task SetPasswordAsync_OnTheStoresUserManager_ReplacesThePassword()
    {
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, Password));
        await using (var scope = _store.Scope())
        {
            var sam = (await scope.Users.FindByNameAsync("sam"))!;
            await UserAccounts.SetPasswordAsync(scope.Users, sam, "a-brand-new-password");
        }
        await using (var scope = _store.Scope())
        {
            var sam = (await scope.Users.FindByNameAsync("sam"))!;
            Assert.True(await scope.Users.CheckPasswordAsync(sam, "a-brand-new-password"));
            Assert.False(await scope.Users.CheckPasswordAsync(sam, Password));
        }
    }

    [Fact]
    public async Task SetPasswordAsync_TooShort_IsRefusedAndKeepsTheOldOne()
    {
        await CreateAsync(new NewAccount("sam", Role.Student, "techport", null, Password));
        await using var scope = _store.Scope();
        var sam = (await scope.Users.FindByNameAsync("sam"))!;
        var e = await Assert.ThrowsAsync<TenancyException>(() => UserAccounts.SetPasswordAsync(scope.Users, sam, "short"));
        Assert.Equal("password", e.Field);
        await using var check = _store.Scope();
        Assert.True(await check.Users.CheckPasswordAsync((await check.Users.FindByNameAsync("sam"))!, Password));
    }
}
