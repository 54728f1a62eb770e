using Fieldlab.Access.Secrets;
using Fieldlab.Cli.Access;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Cli.Backup;

/// <summary>What a backup or restore works on: the backup directory, the Fieldlab state, and InfluxDB's two
/// addresses (HTTP for counting points and making users, RPC for the snapshot itself).</summary>
internal sealed record BackupRequest(string Directory, StateLayout State, string InfluxUrl, string InfluxRpc, string Database)
{
    /// <summary>The admin of the state's InfluxDB, with the password from the state's secrets.</summary>
    public InfluxOptions InfluxAdmin(string password) => new()
    {
        Url = InfluxUrl,
        Database = Database,
        Username = "admin",
        Password = password,
        // Counting a large measurement takes longer than a write; the default timeout suits writes.
        RequestTimeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>The admin password as the state keeps it; a clear error when the state has none.</summary>
    public string InfluxAdminPassword() => SecretFiles.Read(State.InfluxPasswordFile("admin"));
}
