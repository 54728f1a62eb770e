using Fieldlab.Telemetry.Rigs;

namespace Fieldlab.Api.Rigs;

/// <summary>A rig as the API shows it: identity, kind, liveness and sensors.</summary>
public sealed record RigView(string Site, string Rig, string? Kind, string? Description, bool Online, string? OfflineReason,
    string? Since, IReadOnlyList<SensorView> Sensors, IReadOnlyList<Fieldlab.Telemetry.Wire.FaultInfo> Faults)
{
    /// <summary>Builds the view of a directory entry.</summary>
    public static RigView From(RigEntry entry) => new(
        entry.Address.Site,
        entry.Address.Rig,
        entry.Birth?.Kind,
        entry.Birth?.Description,
        entry.IsOnline,
        entry.IsOnline ? null : entry.State?.Reason,
        entry.State?.Since,
        entry.Birth is null ? [] : [.. entry.Birth.Streams.SelectMany(s => s.Sensors.Select(x => new SensorView(x.Id, x.Unit, x.Min, x.Max, s.Id, s.RateHz, x.Description, s.IsWaveform)))],
        entry.Birth?.Faults ?? []);
}

/// <summary>One sensor of a rig.</summary>
public sealed record SensorView(string Id, string Unit, double? Min, double? Max, string Stream, double RateHz, string? Description, bool Waveform);
