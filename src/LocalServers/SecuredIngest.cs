using System.Globalization;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Database;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.LocalServers;

/// <summary>Prepares an ingest process to run as on a secured Fieldlab: its broker principal, a write-only InfluxDB user
/// on a database made (with its retention policies) by the admin, and the service key its own endpoints accept — each
/// secret in a file, as <c>./fieldlab up</c> does it.</summary>
public static class SecuredIngest
{
    /// <summary>Writes the secrets under <paramref name="directory"/>, makes the database and the user, and returns the
    /// ingest settings (<c>Mqtt:*</c>, <c>Influx:*</c>, <c>Ingest:ProvisionDatabase</c>, <c>Ingest:ServiceKeyFile</c>).</summary>
    public static async Task<Dictionary<string, string>> PrepareAsync(string directory, int brokerPort, BrokerPrincipal ingest, LocalInfluxDb influx,
        string database, string serviceKey, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var user = $"writer_{database}_{ingest.Username}"; // one database user per replica, as one broker user
        var influxPassword = Guid.NewGuid().ToString("N");
        await InfluxProvisioning.ProvisionAsync(influx.ClientOptions(database), [new InfluxProvisioning.ServiceUser(user, influxPassword, "WRITE")],
            TimeSpan.FromHours(1), cancellationToken);
        var mqttFile = Path.Combine(directory, $"{ingest.Username}.password");
        var influxFile = Path.Combine(directory, $"{user}.password");
        var keysFile = Path.Combine(directory, "ingest-service.keys");
        await File.WriteAllTextAsync(mqttFile, ingest.Password + "\n", cancellationToken);
        await File.WriteAllTextAsync(influxFile, influxPassword + "\n", cancellationToken);
        await File.WriteAllTextAsync(keysFile, serviceKey + "\n", cancellationToken);
        return new Dictionary<string, string>
        {
            ["Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = ingest.Username,
            ["Mqtt:Username"] = ingest.Username,
            ["Mqtt:PasswordFile"] = mqttFile,
            ["Influx:Url"] = influx.Url,
            ["Influx:Database"] = database,
            ["Influx:Username"] = user,
            ["Influx:PasswordFile"] = influxFile,
            ["Ingest:ProvisionDatabase"] = "false",
            ["Ingest:ServiceKeyFile"] = keysFile,
        };
    }

    /// <summary>A new service key.</summary>
    public static string NewServiceKey() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
}
