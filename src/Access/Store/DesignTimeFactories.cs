using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fieldlab.Access.Store;

/// <summary>For <c>dotnet ef migrations add NAME --context SqliteMetadataDb --output-dir Store/Migrations/Sqlite</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMetadataDb>
{
    /// <inheritdoc />
    public SqliteMetadataDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMetadataDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add NAME --context PostgresMetadataDb --output-dir Store/Migrations/Postgres</c>
/// (no server is contacted).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMetadataDb>
{
    /// <inheritdoc />
    public PostgresMetadataDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMetadataDb>().UseNpgsql("Host=localhost;Database=fieldlab_design").Options);
}
