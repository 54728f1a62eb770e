namespace Fieldlab.Api.Datasets;

/// <summary>Body of <c>POST /api/datasets</c>: a site, its rigs, a range [from, to), optionally the sensors (all when
/// empty), labels made by hand, whether the labels are hidden (for an assignment), and the optional parts
/// (<c>"parts": ["waveforms", "outputs", "alerts"]</c>, see <see cref="DatasetParts"/>).</summary>
public sealed record FreezeRequest(string? Site, IReadOnlyList<string>? Rigs, string? From, string? To, IReadOnlyList<string>? Sensors, string? Title,
    IReadOnlyList<HandLabel>? Labels = null, bool HideLabels = false, IReadOnlyList<string>? Parts = null);

/// <summary>A range of a rig's history an instructor labels by hand with a class (<c>cavitation</c>, <c>normal</c> …).</summary>
public sealed record HandLabel(string? Rig, string? Start, string? End, string? Label, string? Detail = null);
