using System.Text.Json.Serialization;

namespace Fieldlab.Telemetry;

/// <summary>Source-generated JSON metadata for the types the Telemetry library serialises itself.</summary>
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(long))]
internal sealed partial class TelemetryJsonContext : JsonSerializerContext;
