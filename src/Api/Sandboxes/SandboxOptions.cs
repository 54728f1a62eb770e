using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Api.Sandboxes;

/// <summary>Options of sandboxes (section <c>Sandboxes</c>): how long they live, how many a site may run, and the
/// InfluxDB login that deletes a sandbox's points when it ends.</summary>
public sealed class SandboxOptions : IValidatableOptions
{
    /// <summary>Lifetime when the request names none.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Longest lifetime (a lab day and a half).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(36);

    /// <summary>Sandboxes one site may run at once (each is a gateway per rig and their points).</summary>
    public int MaxPerSite { get; set; } = 5;

    /// <summary>How often the reaper looks for expired sandboxes when none is due sooner.</summary>
    public TimeSpan ReapInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The InfluxDB user that deletes a sandbox's points: InfluxDB 1.x lets only a user with WRITE on the
    /// database run <c>DELETE</c>, so the API's own read-only user cannot. Url and database follow <c>Influx</c>.</summary>
    public string? InfluxUsername { get; set; }

    /// <summary>Password of <see cref="InfluxUsername"/>.</summary>
    public string? InfluxPassword { get; set; }

    /// <summary>File holding the password (as the secrets directory keeps it).</summary>
    public string? InfluxPasswordFile { get; set; }

    /// <summary>The deleting login, from the API's InfluxDB options.</summary>
    public InfluxOptions DeleterOf(InfluxOptions api)
    {
        var password = InfluxPassword ?? (InfluxPasswordFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file).Trim() : null);
        return new InfluxOptions { Url = api.Url, Database = api.Database, RetentionPolicy = api.RetentionPolicy, Username = InfluxUsername ?? api.Username, Password = InfluxUsername is null ? api.Password : password, RequestTimeout = api.RequestTimeout };
    }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (DefaultLifetime <= TimeSpan.Zero || DefaultLifetime > MaxLifetime) yield return "DefaultLifetime: positive and at most MaxLifetime";
        if (MaxPerSite < 1) yield return "MaxPerSite: at least 1";
        if (ReapInterval <= TimeSpan.Zero) yield return "ReapInterval: positive";
        if (InfluxPasswordFile is { Length: > 0 } f && !File.Exists(f)) yield return $"InfluxPasswordFile: '{f}' does not exist";
    }
}
