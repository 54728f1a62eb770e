using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fieldlab.Access.Store;

/// <summary>Registers the metadata store (provider by configuration) and ASP.NET Core Identity's user manager on it.</summary>
public static class MetadataStore
{
    /// <summary>Most failed sign-ins before an account is locked.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>Registers <see cref="MetadataDb"/> (scoped, the configured provider's context) from section
    /// <c>Metadata</c>, and Identity's user manager with its password hasher and lockout (<see cref="MaxFailedSignIns"/>
    /// failures lock the account for <paramref name="lockout"/>).</summary>
    public static IServiceCollection AddMetadataStore(this IServiceCollection services, IConfiguration configuration, TimeSpan? lockout = null)
    {
        services.AddValidatedOptions<MetadataStoreOptions>(configuration, "Metadata");
        services.AddSingleton(sp => new MetadataDbFactory(sp.GetRequiredService<IOptions<MetadataStoreOptions>>().Value));
        services.AddScoped<MetadataDb>(sp => sp.GetRequiredService<MetadataDbFactory>().Create());
        services.AddIdentityCore<FieldlabUser>(o => ConfigureIdentity(o, lockout)).AddEntityFrameworkStores<MetadataDb>();
        return services;
    }

    /// <summary>Identity's rules for Fieldlab accounts: lower-case names, passwords of at least 10 characters (no
    /// composition rules, NIST SP 800-63B 5.1.1), lockout after <see cref="MaxFailedSignIns"/> failures.</summary>
    public static void ConfigureIdentity(IdentityOptions o, TimeSpan? lockout)
    {
        o.User.RequireUniqueEmail = false;
        o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789_-";
        o.Password.RequiredLength = 10;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        o.Lockout.DefaultLockoutTimeSpan = lockout ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>A service provider with just the store and Identity's user manager on it (the CLI, tests): what a host
    /// gets from <see cref="AddMetadataStore"/>, without a host.</summary>
    public static ServiceProvider BuildServices(MetadataStoreOptions options)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metadata:Provider"] = options.Provider,
            ["Metadata:ConnectionString"] = options.ConnectionString,
            ["Metadata:PasswordFile"] = options.PasswordFile,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddMetadataStore(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Opens a store outside dependency injection (the CLI, the tests).</summary>
    public static MetadataDb Open(MetadataStoreOptions options) => new MetadataDbFactory(options).Create();

    /// <summary>Creates the database if needed and applies pending migrations.</summary>
    public static async Task MigrateAsync(MetadataStoreOptions options, CancellationToken cancellationToken)
    {
        if (!options.IsPostgres) EnsureSqliteDirectory(options);
        await using var db = Open(options);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (!options.IsPostgres && !OperatingSystem.IsWindows())
        {
            // It holds password and token hashes: readable by the services' user only.
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.EffectiveConnectionString()).DataSource;
            if (File.Exists(file)) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void EnsureSqliteDirectory(MetadataStoreOptions options)
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.EffectiveConnectionString()).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(source));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }
}
