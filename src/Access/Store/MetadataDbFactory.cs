using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Store;

/// <summary>Makes contexts of the configured provider's type (<see cref="SqliteMetadataDb"/> or
/// <see cref="PostgresMetadataDb"/>), so that the right migrations apply; the options are built once.</summary>
public sealed class MetadataDbFactory
{
    private readonly Func<MetadataDb> _create;

    /// <summary>Builds the options for <paramref name="options"/>' provider.</summary>
    public MetadataDbFactory(MetadataStoreOptions options)
    {
        var connection = options.EffectiveConnectionString();
        if (options.IsPostgres)
        {
            var built = new DbContextOptionsBuilder<PostgresMetadataDb>().UseNpgsql(connection).Options;
            _create = () => new PostgresMetadataDb(built);
        }
        else
        {
            var built = new DbContextOptionsBuilder<SqliteMetadataDb>().UseSqlite(connection).Options;
            _create = () => new SqliteMetadataDb(built);
        }
    }

    /// <summary>A new context; the caller disposes it.</summary>
    public MetadataDb Create() => _create();
}
