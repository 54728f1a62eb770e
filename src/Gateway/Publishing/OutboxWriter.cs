using System.Collections.Concurrent;
using Fieldlab.Gateway.Buffering;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Publishing;

/// <summary>Encodes what a source produces — sample rows, waveform frames, truth events — into wire messages and
/// appends them to the outbox with the stream's next sequence numbers. Not thread-safe: one per source loop.</summary>
public sealed class OutboxWriter(Outbox outbox, int maxRowsPerBatch)
{
    private readonly SampleBatchWriter _batch = new();
    private readonly ConcurrentDictionary<string, CreatedHead> _heads = new(StringComparer.Ordinal);

    /// <summary>Rows (samples, frame instants, truth events) appended since start.</summary>
    public long RowsAppended { get; private set; }

    /// <summary>Payload bytes appended since start, per channel.</summary>
    public Dictionary<TopicChannel, long> BytesAppended { get; } = [];

    /// <summary>The outbox written to.</summary>
    public Outbox Outbox => outbox;

    /// <summary>Per stream written since start, the next seq and the sample time of the newest row (read by the head
    /// announcement on another thread, hence one immutable value per stream).</summary>
    public IReadOnlyDictionary<string, CreatedHead> Heads => _heads;

    /// <summary>Appends rows of a scalar stream: <paramref name="values"/> holds <c>rows × sensors</c> values, row-major;
    /// NaN means "no reading" and is left out. Splits into messages of at most the configured rows.</summary>
    public void AppendRows(string stream, IReadOnlyList<string> sensors, ReadOnlySpan<long> times, ReadOnlySpan<double> values)
    {
        int rows = times.Length;
        for (int start = 0; start < rows; start += maxRowsPerBatch)
        {
            int n = Math.Min(maxRowsPerBatch, rows - start);
            long seq = outbox.NextSeq(stream);
            _batch.Begin(stream, seq);
            for (int r = start; r < start + n; r++)
            {
                _batch.BeginRow(times[r]);
                for (int s = 0; s < sensors.Count; s++)
                {
                    double v = values[r * sensors.Count + s];
                    if (double.IsFinite(v)) _batch.Value(sensors[s], v);
                }
            }
            Append(TopicChannel.Samples, stream, seq, n, _batch.Finish().Span, times[start + n - 1]);
        }
    }

    /// <summary>Appends one waveform frame; its <c>seq</c> is assigned here.</summary>
    public void AppendWaveform(string stream, long startNs, double rateHz, IReadOnlyList<string> axes, string unit, float[] samples)
    {
        long seq = outbox.NextSeq(stream);
        var frame = new WaveformFrame(stream, seq, startNs, rateHz, axes, unit, samples);
        Append(TopicChannel.Waveform, stream, seq, frame.Count, frame.Encode(), startNs + (long)Math.Round((frame.Count - 1) * 1e9 / rateHz));
    }

    /// <summary>Appends ground-truth events (one sequence number each).</summary>
    public void AppendTruth(IReadOnlyList<TruthEvent> events)
    {
        if (events.Count == 0) return;
        long seq = outbox.NextSeq("truth");
        UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(events[^1].T), out long newest);
        Append(TopicChannel.Truth, "truth", seq, events.Count, WireJson.Encode(new TruthBatch { Seq = seq, Events = events }), newest);
    }

    private void Append(TopicChannel channel, string stream, long seq, int count, ReadOnlySpan<byte> payload, long newestNs)
    {
        outbox.Append(channel, stream, seq, count, payload);
        _heads[stream] = new CreatedHead(seq + count, newestNs);
        RowsAppended += count;
        BytesAppended[channel] = BytesAppended.GetValueOrDefault(channel) + payload.Length;
    }
}

/// <summary>How far a stream has been created: every row so far has a seq below <paramref name="NextSeq"/>, and the newest
/// was sampled at <paramref name="NewestNs"/> (ns since the epoch).</summary>
public readonly record struct CreatedHead(long NextSeq, long NewestNs);
