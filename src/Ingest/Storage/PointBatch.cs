using Fieldlab.Ingest.Confirmation;
using Fieldlab.Telemetry.Influx;

namespace Fieldlab.Ingest.Storage;

/// <summary>One write's worth of work: the points for the default retention policy, the samples for <c>samples_raw</c>,
/// the raw waveform points for <c>waveform_raw</c>, the sequence ranges to confirm once all are stored, and what it holds
/// for the counters.</summary>
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

    /// <summary>Data rows (samples, frame instants, truth events) in the batch.</summary>
    public int Rows { get; set; }

    /// <summary>Times of the live-lane rows (ns), for the latency histogram once stored.</summary>
    public List<long> LiveRowTimes { get; } = [];

    /// <summary>Points in all writers.</summary>
    public int PointCount => Points.PointCount + Samples.PointCount + Raw.PointCount;

    /// <summary>True when there is nothing to write or confirm.</summary>
    public bool IsEmpty => PointCount == 0 && Acks.Count == 0;

    /// <summary>Makes the batch reusable.</summary>
    public void Clear()
    {
        Points.Clear();
        Samples.Clear();
        Raw.Clear();
        Acks.Take();
        Rows = 0;
        LiveRowTimes.Clear();
    }
}
