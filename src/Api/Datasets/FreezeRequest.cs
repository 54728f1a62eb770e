namespace Fieldlab.Api.Datasets;

/// <summary>Body of <c>POST /api/datasets</c>: a site, its rigs, a range [from, to) and optionally the sensors (all when empty).</summary>
public sealed record FreezeRequest(string? Site, IReadOnlyList<string>? Rigs, string? From, string? To, IReadOnlyList<string>? Sensors, string? Title);
