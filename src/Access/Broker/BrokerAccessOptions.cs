using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Access.Broker;

/// <summary>Where the broker's access files are and how the broker is told to read them again (section <c>BrokerAccess</c>).</summary>
public sealed class BrokerAccessOptions : IValidatableOptions
{
    /// <summary>Directory holding <c>passwd</c> and <c>acl</c> (the broker's <c>password_file</c> and <c>acl_file</c>).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The broker's <c>pid_file</c>: it gets SIGHUP after every change. Empty when <see cref="ReloadCommand"/> is used.</summary>
    public string PidFile { get; set; } = "";

    /// <summary>A shell command that makes the broker reload instead (e.g. <c>systemctl reload mosquitto</c>, or
    /// <c>docker kill -s HUP fieldlab-mosquitto</c>); or empty.</summary>
    public string ReloadCommand { get; set; } = "";

    /// <summary>Broker host for the reload probe.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port for the reload probe.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>File with the key all broker passwords are derived from (mode 0600).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>How long to wait for the broker to accept the new files.</summary>
    public TimeSpan ReloadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the API compares the files with the store even without a known change.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>False when the API should not manage the broker's files (another instance does).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the password file.</summary>
    public string PasswordFilePath => Path.Combine(Directory, "passwd");

    /// <summary>Path of the ACL file.</summary>
    public string AclFilePath => Path.Combine(Directory, "acl");

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(Directory)) yield return "Directory: must name the directory of the broker's passwd and acl files.";
        if (string.IsNullOrWhiteSpace(KeyFile)) yield return "KeyFile: must name the file with the broker password key.";
        if (Port is < 1 or > 65535) yield return $"Port: must be 1..65535 (was {Port}).";
        if (ReloadTimeout <= TimeSpan.Zero) yield return "ReloadTimeout: must be positive.";
        if (ReconcileInterval < TimeSpan.FromSeconds(1)) yield return "ReconcileInterval: at least 1 s.";
    }
}
