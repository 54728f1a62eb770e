using System.Collections.Concurrent;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>The latest stored-through watermark of every rig stream, from ingest's retained <c>stored</c> messages; the
/// dataset freezer refuses a range that ends after it. Each published value is a true statement, so with several
/// ingest replicas the newest time any of them said is kept. Thread-safe.</summary>
public sealed class StoredThroughBook
{
    private readonly ConcurrentDictionary<(RigAddress Rig, string Stream), long> _through = new();

    /// <summary>Applies a message from a <c>stored</c> topic; false with a reason if it was not a valid one.</summary>
    public bool TryApply(MqttMessage message, out string? error)
    {
        error = null;
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out error) || topic.Channel != TopicChannel.Stored) return false;
        if (message.Payload.Length == 0) return true; // a deleted retained message: what was known stays true
        if (!WireJson.TryDecodeStored(message.Payload, out var stored, out error)) return false;
        foreach (var s in stored!.Streams)
        {
            UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(s.Through), out long through);
            Set(topic.Rig, s.Stream, through);
        }
        return true;
    }

    /// <summary>Records that a stream is stored through <paramref name="throughNs"/>, unless a later time is known.</summary>
    public void Set(RigAddress rig, string stream, long throughNs) =>
        _through.AddOrUpdate((rig, stream), throughNs, (_, known) => Math.Max(known, throughNs));

    /// <summary>The sample time through which every stream of the rig that a dataset copies (its scalar streams, and
    /// its waveform streams when <paramref name="waveforms"/>) is stored, or null while one of them has no watermark.</summary>
    public DateTimeOffset? Through(RigAddress rig, RigBirth birth, bool waveforms = false)
    {
        long? least = null;
        foreach (var stream in birth.Streams.Where(s => waveforms || !s.IsWaveform))
        {
            if (!_through.TryGetValue((rig, stream.Id), out long t)) return null;
            least = least is { } l ? Math.Min(l, t) : t;
        }
        return least is { } ns ? UtcTimestamp.FromNanoseconds(ns) : null;
    }

    /// <summary>Why a freeze of rows before <paramref name="to"/> must wait, or null when every rig is stored through it.</summary>
    public string? Refusal(IEnumerable<(RigAddress Rig, RigBirth Birth)> rigs, DateTimeOffset to, bool waveforms = false)
    {
        foreach (var (rig, birth) in rigs)
        {
            var through = Through(rig, birth, waveforms);
            if (through is null)
                return $"How far {rig} is stored is not known yet (ingest has not announced its stored-through time since the API started): a freeze could miss rows still on their way. Try again shortly.";
            // The range is [from, to): complete when every row before `to` is stored, i.e. through ≥ to − 1 tick.
            if (through.Value < to.AddTicks(-1))
                return $"{rig} is stored only through {UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(through.Value))}: rows of the range after that may still be on their way from its gateway. Freeze a range that ends by then, or try again later.";
        }
        return null;
    }
}
