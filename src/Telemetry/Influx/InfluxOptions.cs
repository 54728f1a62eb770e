using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Telemetry.Influx;

/// <summary>Where the time-series database is and how hard to try; bound from configuration and validated at start.</summary>
/// <remarks>Speaks the InfluxDB 1.x HTTP API (<c>/write</c>, <c>/query</c>, <c>/ping</c>), which InfluxDB 1.8+, 2.x (v1
/// compatibility endpoints, authenticate with <see cref="Token"/>) and 3.x also serve.</remarks>
public sealed class InfluxOptions : IValidatableOptions
{
    /// <summary>Base URL of the server, e.g. <c>http://127.0.0.1:8086</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>Database (1.x) or DBRP-mapped bucket (2.x/3.x).</summary>
    public string Database { get; set; } = "fieldlab";

    /// <summary>Retention policy to write into; empty for the database's default.</summary>
    public string RetentionPolicy { get; set; } = "";

    /// <summary>User for InfluxDB 1.x authentication, or null.</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>File holding the password (mode 0600; read once at start, so that it never appears on a command line).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Reads <see cref="PasswordFile"/> into <see cref="Password"/> (called when the options are bound).</summary>
    public void LoadPasswordFile()
    {
        if (PasswordFile is { Length: > 0 } file && File.Exists(file)) Password = File.ReadAllText(file).Trim();
    }

    /// <summary>API token for InfluxDB 2.x/3.x (sent as <c>Authorization: Token …</c>), or null.</summary>
    public string? Token { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (network error, 5xx, 429) before the call fails.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; grows exponentially with jitter, or follows the server's Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open after repeated failures, failing calls fast instead of queueing them.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return $"Url: must be an absolute http(s) URL (was '{Url}').";
        if (InfluxIdentifier.ExplainInvalid(Database) is { } db) yield return $"Database: {db}";
        if (RetentionPolicy.Length > 0 && InfluxIdentifier.ExplainInvalid(RetentionPolicy) is { } rp) yield return $"RetentionPolicy: {rp}";
        if (Password is not null && Username is null) yield return "Password: set without Username.";
        if (PasswordFile is { Length: > 0 } file && !File.Exists(file)) yield return $"PasswordFile: '{file}' does not exist.";
        if (Token is not null && Username is not null) yield return "Token: use either Token or Username/Password.";
        if (RequestTimeout <= TimeSpan.Zero) yield return "RequestTimeout: must be positive.";
        if (MaxRetries is < 0 or > 20) yield return $"MaxRetries: must be 0..20 (was {MaxRetries}).";
        if (RetryDelay <= TimeSpan.Zero) yield return "RetryDelay: must be positive.";
        if (BreakDuration < TimeSpan.FromMilliseconds(500)) yield return "BreakDuration: must be at least 0.5 s.";
    }
}
