namespace Fieldlab.Cli.Access;

/// <summary>Where a local Fieldlab keeps its state and secrets (<c>./fieldlab up</c>: <c>.fieldlab/</c>). The
/// <c>fieldlab</c> script passes the same paths to the services; docs/access.md, "Secrets", lists them.</summary>
public sealed class StateLayout(string root)
{
    /// <summary>The state directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Secrets (mode 0700; every file 0600).</summary>
    public string Secrets => Path.Combine(Root, "secrets");

    /// <summary>The embedded metadata store.</summary>
    public string MetadataDatabase => Path.Combine(Root, "metadata.db");

    /// <summary>The API's dataset files (<c>Datasets:Directory</c> under <c>./fieldlab up</c>).</summary>
    public string Datasets => Path.Combine(Root, "datasets");

    /// <summary>Key every broker password is derived from.</summary>
    public string MqttKey => Path.Combine(Secrets, "mqtt.key");

    /// <summary>Broker password files of services and gateways, one per principal.</summary>
    public string MqttPasswordFile(string principal) => Path.Combine(Secrets, "mqtt", principal + ".password");

    /// <summary>InfluxDB password of a database user (<c>admin</c>, <c>ingest</c>, <c>api</c>).</summary>
    public string InfluxPasswordFile(string user) => Path.Combine(Secrets, $"influx-{user}.password");

    /// <summary>The keys ingest accepts for its own endpoints (the API's and the operator's, one per line).</summary>
    public string IngestServiceKeys => Path.Combine(Secrets, "ingest-service.keys");

    /// <summary>The API's key for ingest's endpoints.</summary>
    public string ApiIngestKey => Path.Combine(Secrets, "api-ingest.key");

    /// <summary>The operator's key for ingest's endpoints.</summary>
    public string OperatorIngestKey => Path.Combine(Secrets, "ingest-operator.key");

    /// <summary>Passwords Fieldlab generated (the demo accounts', resets): <c>user password</c> per line.</summary>
    public string GeneratedPasswords => Path.Combine(Secrets, "generated-passwords");

    /// <summary>The API's data-protection key ring (session cookies survive a restart).</summary>
    public string DataProtection => Path.Combine(Secrets, "dataprotection");

    /// <summary>The broker's access files (passwd, acl).</summary>
    public string BrokerAccess => Path.Combine(Root, "mosquitto", "access");

    /// <summary>The broker's pid file.</summary>
    public string BrokerPidFile => Path.Combine(Root, "mosquitto", "mosquitto.pid");
}
