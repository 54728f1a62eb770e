using System.Diagnostics.Metrics;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Monitoring;

/// <summary>The gateway process's one <see cref="System.Diagnostics.Metrics.Meter"/>, <c>Fieldlab.Gateway</c>: per rig
/// gateway (labels <c>gateway</c>, <c>site</c>, <c>rig</c>) its buffer fill and capacity, rows produced, published,
/// confirmed and dropped (by reason), resends, connection state and confirmation lag — read at each scrape.</summary>
public sealed class GatewayMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Fieldlab.Gateway";

    private readonly RigGateway[] _gateways;
    private readonly TimeProvider _time;

    /// <summary>Creates the instruments over every <see cref="RigGateway"/> of the process.</summary>
    public GatewayMeter(IMeterFactory factory, IEnumerable<RigGateway> gateways, TimeProvider time)
    {
        _gateways = [.. gateways];
        _time = time;
        var m = factory.Create(Name);
        m.CreateObservableGauge("fieldlab.gateway.buffer.rows", () => Each(g => g.BufferStatistics?.UnconfirmedRows), "{row}", "Rows in the buffer not yet confirmed.");
        m.CreateObservableGauge("fieldlab.gateway.buffer.backlog", () => Each(g => g.BufferStatistics?.BacklogRows), "{row}", "Unsent rows older than the live window (the backlog lane's work).");
        m.CreateObservableGauge("fieldlab.gateway.buffer.size", () => Each(g => g.BufferStatistics?.BufferedBytes), "By", "Bytes of the buffer's segments on disk.");
        m.CreateObservableGauge("fieldlab.gateway.buffer.capacity", () => Each(g => g.Buffer?.CapacityBytes), "By", "The most bytes the buffer holds (buffer.max_mb).");
        m.CreateObservableCounter("fieldlab.gateway.rows.produced", () => Each(g => g.RowsPublished), "{row}", "Rows the source wrote to the buffer.");
        m.CreateObservableCounter("fieldlab.gateway.rows.published", () => Each(g => g.RowsSent), "{row}", "Rows handed to the broker (resends included).");
        m.CreateObservableCounter("fieldlab.gateway.rows.confirmed", () => Each(g => g.Buffer?.ConfirmedRows), "{row}", "Rows confirmed (by ingest, or by the broker with confirm: broker).");
        m.CreateObservableCounter("fieldlab.gateway.records.resent", () => Each(g => g.Resends), "{record}", "Records sent again because no confirmation came in time.");
        m.CreateObservableCounter("fieldlab.gateway.rows.dropped", Dropped, "{row}", "Rows lost, by reason: buffer_full (oldest segment dropped) or given_up (refused, or never confirmed).");
        m.CreateObservableGauge("fieldlab.gateway.connected", () => Each(g => g.Connection is { } c ? (c.State == MqttConnectionState.Connected ? 1 : 0) : null), "1", "1 while connected to the broker.");
        m.CreateObservableGauge("fieldlab.gateway.confirmation.lag", ConfirmationLag, "s", "Age of the oldest unconfirmed row (0 when everything is confirmed).");
    }

    private IEnumerable<Measurement<long>> Each(Func<RigGateway, long?> read)
    {
        foreach (var g in _gateways)
        {
            if (read(g) is { } value) yield return new Measurement<long>(value, Labels(g));
        }
    }

    private IEnumerable<Measurement<long>> Dropped()
    {
        foreach (var g in _gateways)
        {
            if (g.Buffer is not { } buffer) continue;
            yield return new Measurement<long>(buffer.RowsDroppedFull, [.. Labels(g), new("reason", "buffer_full")]);
            yield return new Measurement<long>(buffer.RowsGivenUp, [.. Labels(g), new("reason", "given_up")]);
        }
    }

    private IEnumerable<Measurement<double>> ConfirmationLag()
    {
        long now = UtcTimestamp.ToNanoseconds(_time.GetUtcNow());
        foreach (var g in _gateways)
        {
            if (g.BufferStatistics is not { } stats) continue;
            yield return new Measurement<double>(stats.OldestUnconfirmedNs == 0 ? 0 : Math.Max(0, now - stats.OldestUnconfirmedNs) / 1e9, Labels(g));
        }
    }

    private static KeyValuePair<string, object?>[] Labels(RigGateway g) =>
        [new("gateway", g.GatewayId), new("site", g.Address.Site), new("rig", g.Address.Rig)];
}
