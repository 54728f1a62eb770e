using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Rigs;

namespace Fieldlab.Api.Rigs;

/// <summary>A rig as the API shows it: identity, kind, liveness, sensors, and which part of its history the caller
/// may read (so that a console can say so instead of showing an unexplained gap).</summary>
public sealed record RigView(string Site, string Rig, string? Kind, string? Description, bool Online, string? OfflineReason,
    string? Since, IReadOnlyList<SensorView> Sensors, IReadOnlyList<Fieldlab.Telemetry.Wire.FaultInfo> Faults,
    bool InPilotNow, IReadOnlyList<WindowView> DataWindows, IReadOnlyList<WindowView> TruthWindows, RigActions May)
{
    /// <summary>Builds the view of a registered rig and what its birth and state said.</summary>
    public static RigView From(RigRecord record, RigEntry? entry, RigFacts facts, RigVisibility visibility, DateTime now) => new(
        record.SiteId,
        record.RigId,
        entry?.Birth?.Kind,
        entry?.Birth?.Description ?? record.Description,
        entry?.IsOnline ?? false,
        entry is null ? "never announced since the API started" : entry.IsOnline ? null : entry.State?.Reason,
        entry?.State?.Since,
        entry?.Birth is null ? [] : [.. entry.Birth.Streams.SelectMany(s => s.Sensors.Select(x => new SensorView(x.Id, x.Unit, x.Min, x.Max, s.Id, s.RateHz, x.Description, s.IsWaveform)))],
        entry?.Birth?.Faults ?? [],
        RigPolicy.PilotTime(facts).Contains(now),
        WindowView.Of(visibility.Data),
        WindowView.Of(visibility.Truth),
        new RigActions(visibility.Data.Contains(now), visibility.Truth.Contains(now), visibility.Command, visibility.Rebaseline, visibility.ReleaseTruth,
            visibility.Alert.Contains(now), visibility.Maintain.Contains(now)));
}

/// <summary>What the caller may do with the rig now (so a console offers only what the API will allow): read its live
/// data, read its fault truth, stage faults, re-baseline its models, release its truth, handle its alerts, record
/// maintenance.</summary>
public sealed record RigActions(bool Data, bool Truth, bool Command, bool Rebaseline, bool ReleaseTruth, bool Alert, bool Maintain);

/// <summary>One sensor of a rig.</summary>
public sealed record SensorView(string Id, string Unit, double? Min, double? Max, string Stream, double RateHz, string? Description, bool Waveform);

/// <summary>A time window [from, to) in the wire timestamp format; null bounds are open.</summary>
public sealed record WindowView(string? From, string? To)
{
    /// <summary>The windows of a set.</summary>
    public static IReadOnlyList<WindowView> Of(WindowSet set) =>
        [.. set.Windows.Select(w => new WindowView(w.From is { } f ? Fieldlab.Telemetry.Wire.UtcTimestamp.Format(Fieldlab.Telemetry.Wire.UtcTimestamp.ToNanoseconds(new DateTimeOffset(f))) : null,
            w.To is { } t ? Fieldlab.Telemetry.Wire.UtcTimestamp.Format(Fieldlab.Telemetry.Wire.UtcTimestamp.ToNanoseconds(new DateTimeOffset(t))) : null))];
}
