using Fieldlab.Ingest.Samples;
using Fieldlab.PredictiveMaintenance.Signals;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Waveforms;

/// <summary>Turns a waveform frame into points: the raw samples (per axis, base64 float32, into the bounded
/// <c>waveform_raw</c> retention policy) and the frame's time-domain features per axis (kept forever). No I/O.</summary>
/// <remarks>Raw points: measurement <c>waveform</c>, tags <c>site</c>, <c>rig</c>, <c>stream</c>, <c>axis</c>; fields
/// <c>data</c> (base64 of little-endian float32), <c>count</c>, <c>rate_hz</c>, <c>seq</c>, <c>unit</c>; time of the
/// first sample. A frame longer than <see cref="RawChunk"/> samples per axis is stored in chunks, each with its own time.
/// Features: measurement <c>waveform_features</c>, same tags; fields <c>rms</c>, <c>peak</c>, <c>p2p</c>, <c>crest</c>,
/// <c>kurtosis</c>, <c>skewness</c>, <c>seq</c>.</remarks>
public sealed class WaveformProcessor(IngestOptions options, RigDirectory directory, TimeProvider time)
{
    /// <summary>Largest accepted frame, bytes (4 MiB).</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>Samples per raw point: 8192 float32 are 43,692 base64 characters, under InfluxDB's 64 KiB string limit.</summary>
    public const int RawChunk = 8192;

    private static readonly LineProtocolName Raw = FieldlabSchema.Waveform.LineName;
    private static readonly LineProtocolName Features = FieldlabSchema.WaveformFeatures.LineName;
    private static readonly LineProtocolName AxisKey = FieldlabSchema.Waveform.FieldKey(FieldlabSchema.Tags.Axis);
    private static readonly LineProtocolName Data = FieldlabSchema.Waveform.FieldKey("data");
    private static readonly LineProtocolName CountKey = FieldlabSchema.Waveform.FieldKey("count");
    private static readonly LineProtocolName Rate = FieldlabSchema.Waveform.FieldKey("rate_hz");
    private static readonly LineProtocolName UnitKey = FieldlabSchema.Waveform.FieldKey("unit");
    private static readonly LineProtocolName Rms = FieldlabSchema.WaveformFeatures.FieldKey("rms");
    private static readonly LineProtocolName Peak = FieldlabSchema.WaveformFeatures.FieldKey("peak");
    private static readonly LineProtocolName P2p = FieldlabSchema.WaveformFeatures.FieldKey("p2p");
    private static readonly LineProtocolName Crest = FieldlabSchema.WaveformFeatures.FieldKey("crest");
    private static readonly LineProtocolName Kurtosis = FieldlabSchema.WaveformFeatures.FieldKey("kurtosis");
    private static readonly LineProtocolName Skewness = FieldlabSchema.WaveformFeatures.FieldKey("skewness");

    private readonly SampleBatchProcessor _rejects = new(options, directory, time);
    private double[] _axis = new double[4096];

    /// <summary>The frame stored by the last <see cref="Process"/> that stored one (a fresh object per frame).</summary>
    public WaveformFrame? LastFrame { get; private set; }

    /// <summary>Processes a frame from a <c>waveform</c> topic (or its backlog lane).</summary>
    public BatchOutcome Process(FieldlabTopic topic, MqttMessage message, LineProtocolWriter features, LineProtocolWriter raw)
    {
        var received = time.GetUtcNow();
        if (message.Payload.Length > MaxFrameBytes)
            return _rejects.Reject(message, received, RejectReasons.TooLarge, $"frame is {message.Payload.Length} bytes; the limit is {MaxFrameBytes}", 0);
        if (!WaveformFrame.TryDecode(message.Payload, out var frame, out var reason, out var detail))
            return _rejects.Reject(message, received, reason, detail, 0);
        if (!directory.TryGet(topic.Rig, out var entry) || entry.Birth is null) return new BatchOutcome(BatchVerdict.AwaitingBirth, 0, 0, null);
        var handled = (frame!.Stream, frame.Seq, frame.Count);
        var stream = entry.Birth.Streams.FirstOrDefault(s => s.Id == frame.Stream);
        if (stream is null || !stream.IsWaveform)
            return Rejected(message, received, RejectReasons.UnknownStream, $"rig {topic.Rig} declares no waveform stream '{frame.Stream}'", handled);
        var unknown = frame.Axes.FirstOrDefault(a => stream.Sensors.All(s => s.Id != a));
        if (unknown is not null)
            return Rejected(message, received, RejectReasons.UnknownSensor, $"waveform stream '{frame.Stream}' of rig {topic.Rig} declares no axis '{unknown}'", handled);
        long latest = UtcTimestamp.ToNanoseconds(received + options.MaxFutureSkew);
        long end = frame.StartNanoseconds + (long)(frame.Count * 1e9 / frame.SampleRateHz);
        if (end > latest || frame.StartNanoseconds < UtcTimestamp.ToNanoseconds(options.EarliestTimestamp))
            return Rejected(message, received, RejectReasons.TimestampSkew, $"frame {UtcTimestamp.Format(frame.StartNanoseconds)} lies outside the accepted clock window", handled);

        var site = LineProtocolName.TagValue(topic.Rig.Site);
        var rig = LineProtocolName.TagValue(topic.Rig.Rig);
        var streamTag = LineProtocolName.TagValue(frame.Stream);
        if (_axis.Length < frame.Count) _axis = new double[frame.Count];
        for (int a = 0; a < frame.Axes.Count; a++)
        {
            var axisTag = LineProtocolName.TagValue(frame.Axes[a]);
            var samples = frame.Axis(a);
            for (int chunk = 0; chunk < frame.Count; chunk += RawChunk)
            {
                int n = Math.Min(RawChunk, frame.Count - chunk);
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.Slice(chunk, n));
                raw.BeginPoint(Raw).Tag(AxisKey, axisTag).Tag(RigSchema.RigKey, rig).Tag(RigSchema.SiteKey, site).Tag(RigSchema.StreamKey, streamTag)
                    .Field(CountKey, (long)n).Field(Data, Convert.ToBase64String(bytes)).Field(Rate, frame.SampleRateHz)
                    .Field(RigSchema.SeqKey, frame.Seq + chunk).Field(UnitKey, frame.Unit)
                    .EndPoint(frame.StartNanoseconds + (long)Math.Round(chunk * 1e9 / frame.SampleRateHz));
            }
            for (int i = 0; i < frame.Count; i++) _axis[i] = samples[i];
            var f = TimeDomainFeatures.Compute(_axis.AsSpan(0, frame.Count));
            features.BeginPoint(Features).Tag(AxisKey, axisTag).Tag(RigSchema.RigKey, rig).Tag(RigSchema.SiteKey, site).Tag(RigSchema.StreamKey, streamTag)
                .Field(Crest, f.Crest).Field(Kurtosis, f.Kurtosis).Field(P2p, f.PeakToPeak).Field(Peak, f.Peak).Field(Rms, f.Rms)
                .Field(RigSchema.SeqKey, frame.Seq).Field(Skewness, f.Skewness)
                .EndPoint(frame.StartNanoseconds);
        }
        LastFrame = frame;
        return new BatchOutcome(BatchVerdict.Stored, frame.Count, 0, null, frame.Stream, frame.Seq, frame.Count);
    }

    private BatchOutcome Rejected(MqttMessage message, DateTimeOffset received, string reason, string detail, (string Stream, long Seq, int Count) handled) =>
        _rejects.Reject(message, received, reason, detail, handled.Count) with { Stream = handled.Stream, FirstSeq = handled.Seq, Count = handled.Count };
}
