using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Gateways;

/// <summary>Stores gateways' health reports: measurement <c>gateway_health</c>, tags <c>site</c>, <c>rig</c>; one field
/// per report item (<c>unconfirmed_rows</c>, <c>dropped_rows</c>, …). Invalid reports are ignored: they are readings, not data.</summary>
public static class GatewayHealthRecorder
{
    private static readonly LineProtocolName Measurement = FieldlabSchema.GatewayHealth.LineName;

    /// <summary>Appends the report's point; returns false if the payload was not a report.</summary>
    public static bool Record(FieldlabTopic topic, MqttMessage message, LineProtocolWriter points)
    {
        if (message.Payload.Length > 64 * 1024 || !WireJson.TryDecodeHealth(message.Payload, out var h, out _)) return false;
        if (!UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(h!.T ?? ""), out long t)) return false;
        points.BeginPoint(Measurement).Tag(RigSchema.RigKey, LineProtocolName.TagValue(topic.Rig.Rig)).Tag(RigSchema.SiteKey, LineProtocolName.TagValue(topic.Rig.Site))
            .Field(FieldlabSchema.GatewayHealth.FieldKey("backlog_rows"), h.BacklogRows).Field(FieldlabSchema.GatewayHealth.FieldKey("buffered_bytes"), h.BufferedBytes).Field(FieldlabSchema.GatewayHealth.FieldKey("confirmed_rows"), h.ConfirmedRows)
            .Field(FieldlabSchema.GatewayHealth.FieldKey("connected"), h.Connected).Field(FieldlabSchema.GatewayHealth.FieldKey("dropped_rows"), h.DroppedRows).Field(FieldlabSchema.GatewayHealth.FieldKey("oldest_unconfirmed_s"), h.OldestUnconfirmedSeconds)
            .Field(FieldlabSchema.GatewayHealth.FieldKey("published_rows"), h.PublishedRows).Field(FieldlabSchema.GatewayHealth.FieldKey("resends"), h.Resends).Field(FieldlabSchema.GatewayHealth.FieldKey("unconfirmed_rows"), h.UnconfirmedRows)
            .EndPoint(t);
        return true;
    }
}
