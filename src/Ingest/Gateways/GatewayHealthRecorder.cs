using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Gateways;

/// <summary>Stores gateways' health reports: measurement <c>gateway_health</c>, tags <c>site</c>, <c>rig</c>; one field
/// per report item (<c>unconfirmed_rows</c>, <c>dropped_rows</c>, …). Invalid reports are ignored: they are readings, not data.</summary>
public static class GatewayHealthRecorder
{
    private static readonly LineProtocolName Measurement = LineProtocolName.Measurement("gateway_health");

    /// <summary>Appends the report's point; returns false if the payload was not a report.</summary>
    public static bool Record(FieldlabTopic topic, MqttMessage message, LineProtocolWriter points)
    {
        if (message.Payload.Length > 64 * 1024 || !WireJson.TryDecodeHealth(message.Payload, out var h, out _)) return false;
        if (!UtcTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(h!.T ?? ""), out long t)) return false;
        points.BeginPoint(Measurement).Tag(RigSchema.RigKey, LineProtocolName.TagValue(topic.Rig.Rig)).Tag(RigSchema.SiteKey, LineProtocolName.TagValue(topic.Rig.Site))
            .Field("backlog_rows", h.BacklogRows).Field("buffered_bytes", h.BufferedBytes).Field("confirmed_rows", h.ConfirmedRows)
            .Field("connected", h.Connected).Field("dropped_rows", h.DroppedRows).Field("oldest_unconfirmed_s", h.OldestUnconfirmedSeconds)
            .Field("published_rows", h.PublishedRows).Field("resends", h.Resends).Field("unconfirmed_rows", h.UnconfirmedRows)
            .EndPoint(t);
        return true;
    }
}
