namespace Fieldlab.Telemetry.Influx;

/// <summary>A name or value cannot be written as InfluxDB line protocol; nothing of the point was written.</summary>
public sealed class LineProtocolException(string message) : TelemetryException(message, isTransient: false);
