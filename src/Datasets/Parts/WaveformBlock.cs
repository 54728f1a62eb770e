namespace Fieldlab.Datasets;

/// <summary>Consecutive samples of one waveform stream as stored (one raw chunk of a frame): sample <c>i</c> was taken
/// at <c>StartNs + i / RateHz</c> and has sequence number <c>Seq + i</c>.</summary>
/// <param name="Rig">Rig id.</param>
/// <param name="Stream">Waveform stream id.</param>
/// <param name="StartNs">Time of the first sample, ns since the Unix epoch (UTC).</param>
/// <param name="RateHz">Sample rate.</param>
/// <param name="Seq">Sequence number of the first sample.</param>
/// <param name="Count">Samples in the block.</param>
/// <param name="Axes">One entry per axis column of the table; an entry shorter than <paramref name="Count"/> (empty for
/// an axis of another stream) leaves the rest of that column missing. The buffers may be reused once written.</param>
public readonly record struct WaveformBlock(string Rig, string Stream, long StartNs, double RateHz, long Seq, int Count, ReadOnlyMemory<float>[] Axes)
{
    /// <summary>The time of sample <paramref name="i"/> in ns, as ingest times its chunks (rounded to the nanosecond).</summary>
    public long TimeOf(int i) => StartNs + (long)Math.Round(i * 1e9 / RateHz);
}
