using System.Diagnostics.Metrics;
using Fieldlab.Ingest.Consumption;
using Fieldlab.Ingest.Monitoring;
using Fieldlab.Ingest.Storage;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Ingest.Tests.Storage;

/// <summary>Every failure class of the write stage has its defined outcome (docs/reliability.md, "Ingest's writer"),
/// against a real InfluxDB: a batch is acknowledged to the broker only once it is durable.</summary>
[Collection("servers")]
public sealed class BatchWriterFailureTests(ServersFixture servers) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private MqttConnection _connection = null!;

    public async Task InitializeAsync() =>
        _connection = await MqttConnection.ConnectAsync(servers.Mosquitto.ClientOptions("writer-" + Guid.NewGuid().ToString("N")[..8]), null, CancellationToken.None);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task WholeBatchRefusedByInfluxDb_IsKeptUnderRejected_AndAcknowledged_AndTheWriterGoesOn()
    {
        using var dir = new TempDirectory("spool");
        using var influx = await NewSchemaAsync();
        var (writer, run, stop) = Start(influx, dir.Path);
        var batch = await writer.RentAsync(CancellationToken.None);
        // Every line unparseable: InfluxDB 1.x answers 400 without "partial write" and stores nothing.
        batch.Samples.BeginPoint("samples").FieldFromJsonNumber(LineProtocolName.Key("flow"), "1x"u8).EndPoint(Now());
        Hold(batch, 1);
        await writer.SubmitAsync(batch, CancellationToken.None);

        await Eventually.HoldsAsync(() => Task.FromResult(writer.BatchesRejected == 1 && writer.DeliveriesAcknowledged == 1), Patience);
        var kept = Directory.GetFiles(Path.Combine(dir.Path, "rejected"), "*.batch");
        Assert.Single(kept);
        Assert.Contains("unable to parse", File.ReadAllText(kept[0] + ".reason.txt"));
        Assert.Equal(0, writer.Spool.Count); // not retried: the same body would fail the same way

        // The writer is alive: the next good batch is stored.
        var good = await writer.RentAsync(CancellationToken.None);
        good.Samples.BeginPoint("samples").Field("flow", 2.0).EndPoint(Now());
        Hold(good, 2);
        await writer.SubmitAsync(good, CancellationToken.None);
        await Eventually.HoldsAsync(() => Task.FromResult(writer.DeliveriesAcknowledged == 2), Patience);
        Assert.Null(writer.LastError);
        await Stop(writer, run, stop);
    }

    [Fact]
    public async Task RefusedCredentials_SpoolTheBatch_NameTheReason_AndItDrainsOnceTheyWork()
    {
        using var dir = new TempDirectory("spool");
        using var admin = await NewSchemaAsync();
        var user = "w" + Guid.NewGuid().ToString("N")[..8];
        using var influx = new InfluxClient(servers.Influx.UserOptions(admin.Options.Database, user, "not-yet-valid-password"));
        var (writer, run, stop) = Start(influx, dir.Path);
        var batch = await writer.RentAsync(CancellationToken.None);
        batch.Samples.BeginPoint("samples").Field("flow", 1.0).EndPoint(Now());
        Hold(batch, 1);
        await writer.SubmitAsync(batch, CancellationToken.None);

        await Eventually.HoldsAsync(() => Task.FromResult(writer.Spool.Count == 1), Patience);
        Assert.Contains("401", writer.LastError);
        Assert.Equal(1, writer.DeliveriesAcknowledged); // fsynced in the spool: durable, so acknowledged

        await servers.Influx.CreateUserAsync(admin.Options.Database, user, "not-yet-valid-password", "WRITE");
        await Eventually.HoldsAsync(() => Task.FromResult(writer.Spool.Count == 0), Patience);
        var stored = await admin.QueryAsync(new InfluxQuery("SELECT count(flow) FROM \"samples_raw\".\"samples\""), CancellationToken.None);
        Assert.NotNull(stored.Single);
        await Stop(writer, run, stop);
    }

    [Fact]
    public async Task FullSpoolDisk_HoldsTheBatchUnacknowledged_WithRedHealth_UntilTheSpoolTakesIt()
    {
        using var dir = new TempDirectory("spool");
        // An InfluxDB that is away, so the batch must go to the spool.
        var away = servers.Influx.ClientOptions();
        away.Url = $"http://127.0.0.1:{Fieldlab.LocalServers.FreePort.Next()}";
        using var influx = new InfluxClient(away);
        // The spool's next files are the kernel's full device: every write fails with ENOSPC, as on a full disk.
        var blocked = Enumerable.Range(0, 64).Select(i => Path.Combine(dir.Path, i.ToString("D12") + ".batch.tmp")).ToList();
        foreach (var path in blocked) File.CreateSymbolicLink(path, "/dev/full");
        var (writer, run, stop) = Start(influx, dir.Path);
        var batch = await writer.RentAsync(CancellationToken.None);
        batch.Samples.BeginPoint("samples").Field("flow", 1.0).EndPoint(Now());
        Hold(batch, 1);
        await writer.SubmitAsync(batch, CancellationToken.None);

        await Eventually.HoldsAsync(() => Task.FromResult(writer.SpoolError is not null), Patience);
        Assert.Contains("space", writer.SpoolError, StringComparison.OrdinalIgnoreCase);
        await Task.Delay(500);
        Assert.Equal(0, writer.DeliveriesAcknowledged); // not durable anywhere: the broker must keep it
        Assert.False(run.IsCompleted); // held and retried, not dead

        foreach (var path in blocked) File.Delete(path); // the operator frees the disk
        await Eventually.HoldsAsync(() => Task.FromResult(writer.DeliveriesAcknowledged == 1 && writer.Spool.Count == 1), Patience);
        Assert.Null(writer.SpoolError);
        await Stop(writer, run, stop);
    }

    [Fact]
    public async Task UnexpectedFailureInTheWriteStage_StopsIt_WithTheError_InsteadOfLeavingADeadWriter()
    {
        using var dir = new TempDirectory("spool");
        // A database that does not exist: the write answers 404, and the drain loop asks to recreate it — which fails
        // with an error nobody foresaw.
        using var influx = new InfluxClient(servers.Influx.ClientOptions());
        var (writer, run, stop) = Start(influx, dir.Path, _ => throw new InvalidOperationException("bug in the recreate path"));
        var batch = await writer.RentAsync(CancellationToken.None);
        batch.Samples.BeginPoint("samples").Field("flow", 1.0).EndPoint(Now());
        await writer.SubmitAsync(batch, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(Patience));
        Assert.Contains("bug in the recreate path", error.Message);
        Assert.NotNull(writer.Fault);
        // The consumer's next hand-over fails at once instead of blocking on a queue nobody reads.
        var next = new PointBatch();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            for (int i = 0; i < 10; i++) await writer.SubmitAsync(next, CancellationToken.None).AsTask().WaitAsync(Patience);
        });
        stop.Dispose();
    }

    private (BatchWriter Writer, Task Run, CancellationTokenSource Stop) Start(InfluxClient influx, string spoolDirectory, Func<CancellationToken, Task>? recreate = null)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var writer = new BatchWriter(influx, new WriteSpool(spoolDirectory, 1 << 24, NullLogger.Instance), new IngestCounters(new IngestMeter(meters)),
            TimeProvider.System, NullLogger.Instance, writers: 1)
        {
            SpoolRetryDelay = TimeSpan.FromMilliseconds(50),
            RecreateDatabase = recreate,
        };
        var stop = new CancellationTokenSource();
        return (writer, writer.RunAsync(stop.Token), stop);
    }

    // Inside samples_raw's retention: older points are dropped by InfluxDB as "beyond retention policy".
    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;

    private async Task<InfluxClient> NewSchemaAsync()
    {
        var admin = await servers.Influx.NewDatabaseAsync();
        await InfluxDatabaseSetup.EnsureAsync(admin, new Fieldlab.Telemetry.Schema.RetentionSettings(), CancellationToken.None);
        return admin;
    }

    private void Hold(PointBatch batch, long delivery) =>
        batch.Holds(new ReceivedMessage(new MqttMessage("fieldlab/s/r/samples", [], MqttQos.AtLeastOnce, false) { Delivery = delivery }, _connection));

    private static async Task Stop(BatchWriter writer, Task run, CancellationTokenSource stop)
    {
        writer.Complete();
        await run.WaitAsync(Patience);
        stop.Dispose();
    }
}
