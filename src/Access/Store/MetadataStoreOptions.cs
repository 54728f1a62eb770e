using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Access.Store;

/// <summary>Where the metadata store is (configuration section <c>Metadata</c>).</summary>
public sealed class MetadataStoreOptions : IValidatableOptions
{
    /// <summary><c>sqlite</c> (embedded, the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string: for SQLite <c>Data Source=.fieldlab/metadata.db</c>; for PostgreSQL
    /// <c>Host=…;Port=…;Database=…;Username=…</c> (the password preferably from <see cref="PasswordFile"/>).</summary>
    public string ConnectionString { get; set; } = "Data Source=metadata.db";

    /// <summary>File holding the PostgreSQL password (mode 0600), appended to the connection string; or null.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Apply pending migrations when the service starts (the CLI's <c>provision</c> does it too).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>True for PostgreSQL.</summary>
    public bool IsPostgres => Provider == "postgres";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Provider is not ("sqlite" or "postgres")) yield return $"Provider: sqlite or postgres (was '{Provider}').";
        if (string.IsNullOrWhiteSpace(ConnectionString)) yield return "ConnectionString: must be set.";
        if (PasswordFile is not null && !File.Exists(PasswordFile)) yield return $"PasswordFile: '{PasswordFile}' does not exist.";
    }

    /// <summary>The connection string with the password from <see cref="PasswordFile"/>, if any.</summary>
    public string EffectiveConnectionString()
    {
        if (PasswordFile is null) return ConnectionString;
        // Through the builder, so that a password with ';' or '=' is quoted, not split.
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = ConnectionString };
        builder["Password"] = File.ReadAllText(PasswordFile).Trim();
        return builder.ConnectionString;
    }
}
