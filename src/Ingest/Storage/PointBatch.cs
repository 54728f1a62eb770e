using Fieldlab.Ingest.Confirmation;
using Fieldlab.Ingest.Consumption;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Ingest.Storage;

/// <summary>One write's worth of work: the points for the default retention policy, the samples for <c>samples_raw</c>,
/// the raw waveform points for <c>waveform_raw</c>, the sequence ranges to confirm once all are stored, the broker
/// deliveries to acknowledge once it is durable, and what it holds for the counters.</summary>
public sealed class PointBatch
{
    /// <summary>Points for the default retention policy.</summary>
    public LineProtocolWriter Points { get; } = new(1024 * 1024);

    /// <summary>Samples (their own retention policy, <c>samples_raw</c>).</summary>
    public LineProtocolWriter Samples { get; } = new(1024 * 1024);

    /// <summary>Raw waveform points.</summary>
    public LineProtocolWriter Raw { get; } = new(256 * 1024);

    /// <summary>Ranges to acknowledge.</summary>
    public AckLedger Acks { get; } = new();

    /// <summary>The MQTT deliveries whose content is in this batch (payloads dropped): acknowledged to the broker only
    /// once the batch is durable — written, spooled (fsynced) or quarantined.</summary>
    public List<ReceivedMessage> Deliveries { get; } = [];

    /// <summary>Data rows (samples, frame instants, truth events) in the batch.</summary>
    public int Rows { get; set; }

    /// <summary>Times of the live-lane rows (ns), for the latency histogram once stored.</summary>
    public List<long> LiveRowTimes { get; } = [];

    /// <summary>Points in all writers.</summary>
    public int PointCount => Points.PointCount + Samples.PointCount + Raw.PointCount;

    /// <summary>True when there is nothing to write or confirm.</summary>
    public bool IsEmpty => PointCount == 0 && Acks.Count == 0 && Deliveries.Count == 0;

    /// <summary>Adds a delivery to acknowledge with this batch (a message the broker waits for).</summary>
    public void Holds(in ReceivedMessage received)
    {
        if (received.NeedsAcknowledgement) Deliveries.Add(received.WithoutPayload());
    }

    /// <summary>The batch is durable: acknowledges its deliveries (PUBACKs go out in arrival order per connection) and
    /// returns how many.</summary>
    public int AcknowledgeDeliveries()
    {
        foreach (var delivery in Deliveries) delivery.Acknowledge();
        int count = Deliveries.Count;
        Deliveries.Clear();
        return count;
    }

    /// <summary>Makes the batch reusable.</summary>
    public void Clear()
    {
        Points.Clear();
        Samples.Clear();
        Raw.Clear();
        Acks.Take();
        Rows = 0;
        LiveRowTimes.Clear();
        Deliveries.Clear();
    }
}
