using System.Diagnostics.Metrics;
using Fieldlab.Telemetry.Mqtt;

namespace Fieldlab.Ingest.Monitoring;

/// <summary>The ingest worker's state as instruments on <see cref="IngestMeter"/>, read when Prometheus scrapes: pending
/// points, parked messages, spool, quarantine, pause, receive backlog, MQTT connects and losses, writer health.</summary>
public sealed class IngestGauges
{
    /// <summary>Creates the instruments; they read <paramref name="worker"/> at each collection.</summary>
    public IngestGauges(IngestMeter meter, IngestWorker worker)
    {
        var m = meter.Meter;
        m.CreateObservableGauge("fieldlab.ingest.pending.points", () => (long)worker.PendingPoints, "{point}", "Points batched but not yet handed to a writer.");
        m.CreateObservableGauge("fieldlab.ingest.parked.messages", () => (long)worker.ParkedCount, "{message}", "Messages of rigs whose birth has not arrived yet.");
        m.CreateObservableGauge("fieldlab.ingest.spool.batches", () => (long)(worker.Writer?.Spool.Count ?? 0), "{batch}", "Batches spooled to disk while InfluxDB does not take them.");
        m.CreateObservableGauge("fieldlab.ingest.spool.size", () => worker.Writer?.Spool.Bytes ?? 0, "By", "Bytes in the spool.");
        m.CreateObservableGauge("fieldlab.ingest.quarantine.messages", () => (long)(worker.Quarantine?.Count ?? 0), "{message}", "Messages kept in the quarantine.");
        m.CreateObservableCounter("fieldlab.ingest.quarantine.evicted", () => worker.Quarantine?.Evicted ?? 0, "{message}", "Quarantined messages evicted to stay within the quarantine's bound.");
        m.CreateObservableGauge("fieldlab.ingest.paused", () => worker.Paused ? 1 : 0, "1", "1 while intake is paused because the spool is full.");
        m.CreateObservableGauge("fieldlab.ingest.receive.backlog", () => Sum(worker, s => s.ReceiveBacklog), "{message}", "Messages received from the broker, not yet processed.");
        m.CreateObservableCounter("fieldlab.ingest.mqtt.connects", () => Sum(worker, s => s.Connects), "{connect}", "Broker connections made (live and backlog lane).");
        m.CreateObservableCounter("fieldlab.ingest.mqtt.losses", () => Sum(worker, s => s.ConnectionLosses), "{loss}", "Broker connections lost (live and backlog lane).");
        m.CreateObservableGauge("fieldlab.ingest.mqtt.connected", () => Connected(worker), "1", "1 while both broker connections stand.");
        m.CreateObservableGauge("fieldlab.ingest.writer.healthy", () => worker.LastWriteError is null ? 1 : 0, "1", "1 while the last InfluxDB write succeeded (what /healthz reports).");
    }

    private static long Sum(IngestWorker worker, Func<MqttConnectionStatistics, long> read) =>
        (worker.Connection?.Statistics is { } live ? read(live) : 0) + (worker.BacklogConnection?.Statistics is { } backlog ? read(backlog) : 0);

    private static int Connected(IngestWorker worker) =>
        worker.Connection?.State == MqttConnectionState.Connected && worker.BacklogConnection?.State == MqttConnectionState.Connected ? 1 : 0;
}
