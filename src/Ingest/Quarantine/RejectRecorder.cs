using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Quarantine;

/// <summary>Records a rejected message twice: as a dead letter on MQTT (so publishers and students see it at once)
/// and as a point in the <c>rejects</c> measurement (so it is kept, counted and can be listed).</summary>
internal sealed class RejectRecorder(string instance)
{
    private static readonly LineProtocolName ReasonKey = FieldlabSchema.Rejects.FieldKey("reason");
    private static readonly LineProtocolName SiteKey = FieldlabSchema.Rejects.FieldKey(FieldlabSchema.Tags.Site);
    private static readonly LineProtocolName RigKey = FieldlabSchema.Rejects.FieldKey(FieldlabSchema.Tags.Rig);
    private static readonly LineProtocolName IngestKey = FieldlabSchema.Rejects.FieldKey(FieldlabSchema.Tags.Ingest);
    private static readonly LineProtocolName TopicField = FieldlabSchema.Rejects.FieldKey("topic");
    private static readonly LineProtocolName DetailField = FieldlabSchema.Rejects.FieldKey("detail");
    private static readonly LineProtocolName ExcerptField = FieldlabSchema.Rejects.FieldKey("excerpt");
    private static readonly LineProtocolName BytesField = FieldlabSchema.Rejects.FieldKey("bytes");
    private static readonly LineProtocolName RowsField = FieldlabSchema.Rejects.FieldKey("rows");
    private static readonly LineProtocolName SeqsField = FieldlabSchema.Rejects.FieldKey("seqs");

    private readonly LineProtocolName _measurement = FieldlabSchema.Rejects.LineName;
    private readonly LineProtocolName _instance = LineProtocolName.TagValue(instance);
    private long _sequence;

    /// <summary>Appends the reject point to the pending batch and returns the dead-letter topic and payload to publish.</summary>
    public (string Topic, byte[] Payload) Record(DeadLetter letter, int rows, LineProtocolWriter points)
    {
        bool attributed = FieldlabTopic.TryParse(letter.Topic, out var topic, out _);
        var deadLetterTopic = attributed ? FieldlabTopic.For(topic.Rig, TopicChannel.DeadLetter) : FieldlabTopic.SystemDeadLetter;

        // Nanosecond offset per reject: two rejects received in the same instant must not overwrite each other.
        long t = UtcTimestampParse(letter.Received) + Interlocked.Increment(ref _sequence) % 1000;
        points.BeginPoint(_measurement)
            .Tag(IngestKey, _instance)
            .Tag(ReasonKey, LineProtocolName.TagValue(letter.Reason))
            .Tag(RigKey, LineProtocolName.TagValue(attributed ? topic.Rig.Rig : "_unknown"))
            .Tag(SiteKey, LineProtocolName.TagValue(attributed ? topic.Rig.Site : "_unknown"))
            .Field(BytesField, (long)letter.Bytes)
            .Field(DetailField, Printable(letter.Detail))
            .Field(ExcerptField, letter.Excerpt)
            .Field(RowsField, (long)rows)
            .Field(SeqsField, letter.Seqs is null ? "" : string.Join(",", letter.Seqs.Take(1000)))
            .Field(TopicField, Printable(letter.Topic))
            .EndPoint(t);
        return (deadLetterTopic, WireJson.Encode(letter));
    }

    private static long UtcTimestampParse(string text) =>
        UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out long ns) ? ns : 0;

    // Topics and details can carry anything a publisher sent; keep them storable.
    private static string Printable(string text) => WireJson.Excerpt(System.Text.Encoding.UTF8.GetBytes(text), 1024);
}
