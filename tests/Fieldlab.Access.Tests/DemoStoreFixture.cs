using Fieldlab.Access.Demo;

namespace Fieldlab.Access.Tests;

/// <summary>A SQLite store seeded with the demo tenancy once per class; each test works on a copy of its file.</summary>
public sealed class DemoStoreFixture : IAsyncLifetime
{
    /// <summary>When the demo was seeded (the demo pilots start then).</summary>
    public static readonly DateTime Seeded = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    private TestStore _template = null!;

    /// <summary>The demo passwords the seeding generated.</summary>
    public IReadOnlyDictionary<string, string> Passwords { get; private set; } = null!;

    /// <summary>A new store with the seeded demo tenancy, for one test to change.</summary>
    public Task<TestStore> CopyAsync() => _template.CopyAsync();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _template = await TestStore.SqliteAsync();
        await using var scope = _template.Scope();
        Passwords = await DemoTenancy.SeedIfEmptyAsync(scope.Db, scope.Users, Seeded, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_template is not null) await _template.DisposeAsync();
    }
}
