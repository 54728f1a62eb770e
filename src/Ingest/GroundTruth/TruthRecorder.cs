using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.GroundTruth;

/// <summary>Stores fault ground truth: measurement <c>fault_truth</c>, tags <c>site</c>, <c>rig</c>, <c>fault</c>;
/// fields <c>action</c>, <c>severity</c>, <c>progression_per_hour</c>, <c>source</c>, <c>command_id</c>, <c>seq</c>;
/// time of the event. No I/O.</summary>
public sealed class TruthRecorder(SampleBatchProcessor rejects, TimeProvider time)
{
    private static readonly LineProtocolName Measurement = FieldlabSchema.FaultTruth.LineName;
    private static readonly LineProtocolName FaultKey = FieldlabSchema.FaultTruth.FieldKey("fault");
    private static readonly LineProtocolName Action = FieldlabSchema.FaultTruth.FieldKey("action");
    private static readonly LineProtocolName Severity = FieldlabSchema.FaultTruth.FieldKey("severity");
    private static readonly LineProtocolName Progression = FieldlabSchema.FaultTruth.FieldKey("progression_per_hour");
    private static readonly LineProtocolName Source = FieldlabSchema.FaultTruth.FieldKey("source");
    private static readonly LineProtocolName CommandId = FieldlabSchema.FaultTruth.FieldKey("command_id");

    /// <summary>Processes a truth batch.</summary>
    public BatchOutcome Process(FieldlabTopic topic, MqttMessage message, LineProtocolWriter points)
    {
        if (message.Payload.Length > 1024 * 1024)
        {
            return rejects.Reject(message, time.GetUtcNow(), RejectReasons.TooLarge, "a truth batch may be at most 1 MiB", 0);
        }
        if (!WireJson.TryDecodeTruth(message.Payload, out var batch, out var error))
        {
            return rejects.Reject(message, time.GetUtcNow(), RejectReasons.Schema, $"not a valid truth batch: {error}", 0);
        }
        var site = LineProtocolName.TagValue(topic.Rig.Site);
        var rig = LineProtocolName.TagValue(topic.Rig.Rig);
        for (int i = 0; i < batch!.Events.Count; i++)
        {
            var e = batch.Events[i];
            UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(e.T), out long t);
            points.BeginPoint(Measurement).Tag(FaultKey, LineProtocolName.TagValue(e.Fault)).Tag(RigSchema.RigKey, rig).Tag(RigSchema.SiteKey, site)
                .Field(Action, e.Action).Field(CommandId, e.CommandId ?? "").Field(Progression, e.ProgressionPerHour)
                .Field(RigSchema.SeqKey, batch.Seq + i).Field(Severity, e.Severity).Field(Source, e.Source)
                .EndPoint(t);
        }
        return new BatchOutcome(BatchVerdict.Stored, batch.Events.Count, 0, null, batch.Stream, batch.Seq, batch.Events.Count);
    }
}
