using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Samples;

/// <summary>A rig's birth compiled for the hot path: every tag and field name validated and escaped once.</summary>
internal sealed class RigSchema
{
    public static readonly LineProtocolName SiteKey = FieldlabSchema.Samples.FieldKey(FieldlabSchema.Tags.Site);
    public static readonly LineProtocolName RigKey = FieldlabSchema.Samples.FieldKey(FieldlabSchema.Tags.Rig);
    public static readonly LineProtocolName StreamKey = FieldlabSchema.Samples.FieldKey(FieldlabSchema.Tags.Stream);
    public static readonly LineProtocolName SeqKey = FieldlabSchema.Samples.FieldKey("seq");

    public RigSchema(RigAddress address, RigBirth birth)
    {
        Birth = birth;
        Site = LineProtocolName.TagValue(address.Site);
        Rig = LineProtocolName.TagValue(address.Rig);
        Streams = birth.Streams.Where(s => !s.IsWaveform).ToDictionary(
            s => s.Id,
            s => new StreamSchema(LineProtocolName.TagValue(s.Id), s.Sensors.ToDictionary(x => x.Id, x => LineProtocolName.Key(x.Id), StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    /// <summary>The birth this schema was compiled from (reference identity tells when it is stale).</summary>
    public RigBirth Birth { get; }

    public LineProtocolName Site { get; }

    public LineProtocolName Rig { get; }

    public IReadOnlyDictionary<string, StreamSchema> Streams { get; }
}

/// <summary>One stream's tag value and the field key of each declared sensor.</summary>
internal sealed record StreamSchema(LineProtocolName Tag, IReadOnlyDictionary<string, LineProtocolName> Fields);
