using Fieldlab.Access.Store;
using Fieldlab.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Access.Tests;

/// <summary>A migrated metadata store on a real provider, wired as the services wire it (<see cref="MetadataStore.AddMetadataStore"/>):
/// a service provider, and scopes that each hold a <see cref="MetadataDb"/> and a <see cref="UserManager{TUser}"/> on it.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempDirectory? _directory;

    private TestStore(MetadataStoreOptions options, TempDirectory? directory, Action<IServiceCollection, MetadataStoreOptions>? configure = null)
    {
        Options = options;
        _directory = directory;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metadata:Provider"] = options.Provider,
            ["Metadata:ConnectionString"] = options.ConnectionString,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMetadataStore(configuration);
        configure?.Invoke(services, options);
        _services = services.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>The store's options.</summary>
    public MetadataStoreOptions Options { get; }

    /// <summary>A fresh SQLite file under a temporary directory, migrated; <paramref name="configure"/> adds to (or
    /// overrides) the services after the store's own.</summary>
    public static async Task<TestStore> SqliteAsync(Action<IServiceCollection, MetadataStoreOptions>? configure = null)
    {
        var directory = new TempDirectory("fieldlab-access-store");
        var options = new MetadataStoreOptions { Provider = "sqlite", ConnectionString = $"Data Source={directory.File("metadata.db")};Pooling=False" };
        await MetadataStore.MigrateAsync(options, CancellationToken.None);
        return new TestStore(options, directory, configure);
    }

    /// <summary>A fresh SQLite store holding a copy of this (SQLite) store's file.</summary>
    public async Task<TestStore> CopyAsync()
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Options.ConnectionString).DataSource;
        var directory = new TempDirectory("fieldlab-access-store");
        File.Copy(source, directory.File("metadata.db"));
        var options = new MetadataStoreOptions { Provider = "sqlite", ConnectionString = $"Data Source={directory.File("metadata.db")};Pooling=False" };
        await MetadataStore.MigrateAsync(options, CancellationToken.None);
        return new TestStore(options, directory);
    }

    /// <summary>A store on <paramref name="options"/>, migrated.</summary>
    public static async Task<TestStore> OpenAsync(MetadataStoreOptions options)
    {
        await MetadataStore.MigrateAsync(options, CancellationToken.None);
        return new TestStore(options, null);
    }

    /// <summary>A new scope (a new context and user manager); the caller disposes it.</summary>
    public StoreScope Scope() => new(_services.CreateAsyncScope());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _directory?.Dispose();
    }
}

/// <summary>One DI scope of a <see cref="TestStore"/>.</summary>
public sealed class StoreScope(AsyncServiceScope scope) : IAsyncDisposable
{
    /// <summary>The scope's context.</summary>
    public MetadataDb Db { get; } = scope.ServiceProvider.GetRequiredService<MetadataDb>();

    /// <summary>The scope's user manager (on <see cref="Db"/>).</summary>
    public UserManager<FieldlabUser> Users { get; } = scope.ServiceProvider.GetRequiredService<UserManager<FieldlabUser>>();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
