using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Samples;

/// <summary>A rig's birth compiled for the hot path: every tag and field name validated and escaped once.</summary>
internal sealed class RigSchema
{
    public static readonly LineProtocolName SiteKey = LineProtocolName.Key("site");
    public static readonly LineProtocolName RigKey = LineProtocolName.Key("rig");
    public static readonly LineProtocolName StreamKey = LineProtocolName.Key("stream");
    public static readonly LineProtocolName SeqKey = LineProtocolName.Key("seq");

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
