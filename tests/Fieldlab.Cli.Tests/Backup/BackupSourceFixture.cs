using System.Globalization;
using System.Text;
using Fieldlab.Access.Secrets;
using Fieldlab.Cli.Access;
using Fieldlab.Cli.Tests.Access;
using Fieldlab.Datasets;
using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Testing;

namespace Fieldlab.Cli.Tests.Backup;

/// <summary>A Fieldlab state as <c>./fieldlab up</c> leaves it, built from real parts: <c>access provision</c>'s
/// secrets, SQLite store (the demo tenancy) and broker access files; a real InfluxDB with the Fieldlab database and
/// points in several measurements and both retention policies; a dataset frozen by the dataset writers; the
/// persistence file a real Mosquitto saved on its way out. And one backup of it, made by <c>backup</c>.</summary>
public sealed class BackupSourceFixture : IAsyncLifetime
{
    /// <summary>The state directory.</summary>
    public TempDirectory State { get; } = new("fieldlab-backup-source");

    /// <summary>Its layout.</summary>
    public StateLayout Layout => new(State.Path);

    /// <summary>Where the backup went.</summary>
    public TempDirectory Backups { get; } = new("fieldlab-backups");

    /// <summary>The backup directory.</summary>
    public string BackupDirectory => Backups.File("b1");

    /// <summary>The source InfluxDB (its admin password is the state's secret, as after <c>access influx</c>).</summary>
    public LocalInfluxDb Influx { get; private set; } = null!;

    /// <summary>Points written, by <c>policy.measurement</c>.</summary>
    public Dictionary<string, long> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>The backup's output lines.</summary>
    public string[] BackupOutput { get; private set; } = [];

    /// <summary>The dataset written.</summary>
    public const string DatasetId = "pump-lab";

    /// <summary>A field present in every point written, to count points by.</summary>
    public const string CountedField = "v";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var provision = await ProvisionedStateFixture.RunAsync("access", "provision", "--state", State.Path, "--mqtt-port", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        Assert.True(provision.Code == 0, provision.Error);
        Influx = await LocalInfluxDb.StartNewAsync(SecretFiles.Read(Layout.InfluxPasswordFile("admin")));
        await WritePointsAsync();
        await FreezeDatasetAsync();
        await SaveBrokerPersistenceAsync();

        var (code, output, error) = await ProvisionedStateFixture.RunAsync("backup", BackupDirectory, "--state", State.Path,
            "--influx-url", Influx.Url, "--influx-rpc", Influx.RpcAddress);
        Assert.True(code == 0, $"backup exited {code}: {error}\n{string.Join('\n', output)}");
        BackupOutput = output;
    }

    private async Task WritePointsAsync()
    {
        using var client = new InfluxClient(Influx.ClientOptions("fieldlab"));
        await InfluxDatabaseSetup.EnsureAsync(client, TimeSpan.FromHours(1), CancellationToken.None);
        // Recent times: the waveform policy keeps an hour. Samples older than the continuous queries' reach (the hourly
        // one resamples the last 2 hours, and a new one runs at once): else its means could land between the count this
        // fixture expects and the backup's, and the test would see three points more than it wrote.
        long start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 600_000) * 1_000_000;
        long samplesStart = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 4 * 3_600_000) * 1_000_000;
        await WriteAsync(client, "autogen", "samples", 1234, i => $"samples,site=techport,rig=pump-{i % 3} v={i * 0.5},flow={i}i", samplesStart);
        await WriteAsync(client, "autogen", "ingest_stats", 57, i => $"ingest_stats,service=ingest-1 v={i}i,rate=1.5", start);
        await WriteAsync(client, "autogen", "alerts", 9, i => $"alerts,rig=motor-1 v=\"open\",score={i}", start);
        await WriteAsync(client, InfluxDatabaseSetup.WaveformRetentionPolicy, "waveform", 321, i => $"waveform,rig=motor-1,axis=x v={Math.Sin(i)}", start);
    }

    private async Task WriteAsync(InfluxClient client, string policy, string measurement, int points, Func<int, string> line, long startNs)
    {
        var text = new StringBuilder();
        // One point per millisecond and series key: distinct (series, time), so every line is a point of its own.
        for (int i = 0; i < points; i++) text.Append(CultureInfo.InvariantCulture, $"{line(i)} {startNs + i * 1_000_000L}\n");
        await client.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), "fieldlab", policy == "autogen" ? null : policy, CancellationToken.None);
        Written[$"{policy}.{measurement}"] = points;
    }

    private async Task FreezeDatasetAsync()
    {
        DatasetColumn[] sensors = [DatasetColumn.Sensor("flow", "m³/h", "Volume flow"), DatasetColumn.Sensor("pressure", "bar", "Outlet pressure")];
        var spec = DatasetTableSpec.ForSensors("samples", sensors);
        var replay = new Dictionary<(string Rig, string Stream), ReplayHeader>
        {
            [("pump-1", "process")] = new("techport", "pump-1", "process", "pump", ["flow", "pressure"], ["m³/h", "bar"]),
        };
        var description = new DatasetDescription(DatasetId, 1, "Pump lab", "techport",
            [new DatasetRig("pump-1", "pump", "Centrifugal pump", [new DatasetStream("process", 10, sensors)])],
            new DateTimeOffset(2026, 11, 17, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 17, 9, 0, 0, TimeSpan.Zero),
            "docent", new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero), "CC-BY-4.0");
        await new DatasetDirectory(Layout.Datasets).CommitAsync(DatasetId, 1, async (folder, ct) =>
        {
            IReadOnlyList<DatasetFile> files;
            await using (var writer = new SamplesTableWriter(folder, spec, replay))
            {
                long t0 = 1_795_000_000_000_000_000L;
                for (int i = 0; i < 200; i++) await writer.WriteAsync(new SampleRow(t0 + i * 100_000_000L, "pump-1", "process", [i * 0.1, 2.5 + i % 7]), ct);
                files = await writer.CompleteAsync(ct);
            }
            await File.WriteAllTextAsync(Path.Combine(folder, "datapackage.json"), DataPackageManifest.Render(description, spec, files), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "README.md"), DatasetReadme.Render(description, files), ct);
        }, CancellationToken.None);
    }

    // A real broker with persistence saves mosquitto.db on a clean stop: a retained message and a persistent session are in it.
    private async Task SaveBrokerPersistenceAsync()
    {
        await using var broker = await LocalMosquitto.StartNewAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var options = broker.ClientOptions("backup-test", MqttProtocolVersion.V311);
            options.CleanSession = false;
            await using var connection = await MqttConnection.ConnectAsync(options, null, timeout.Token);
            await connection.PublishAsync("fieldlab/techport/pump-1/birth", "{\"rig\":\"pump-1\"}"u8.ToArray(), MqttQos.AtLeastOnce, retain: true, timeout.Token);
        }
        await broker.StopAsync();
        var saved = Path.Combine(broker.Directory, "mosquitto.db");
        Assert.True(File.Exists(saved), "the broker saved no mosquitto.db on its stop");
        File.Copy(saved, Path.Combine(State.Path, "mosquitto", "mosquitto.db"));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Influx is not null) await Influx.DisposeAsync();
        State.Dispose();
        Backups.Dispose();
    }
}
