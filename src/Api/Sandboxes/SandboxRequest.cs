namespace Fieldlab.Api.Sandboxes;

/// <summary>Body of <c>POST /api/datasets/{id}/sandboxes</c>: which version, how fast it will be replayed (1–100), the
/// class whose students may see it, and how many hours it lives.</summary>
public sealed record SandboxRequest(int? Version, double? Speed, string? Class, double? Hours);

/// <summary>Body of <c>PUT /api/sandboxes/{site}/progress</c>: rows the replay has published, and whether it is done.</summary>
public sealed record SandboxProgress(long Rows, bool Finished);
