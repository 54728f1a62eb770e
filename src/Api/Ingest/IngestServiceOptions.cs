using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Ingest;

/// <summary>Where the ingest service's own endpoints are and the service key the API calls them with (section <c>IngestService</c>).</summary>
public sealed class IngestServiceOptions : IValidatableOptions
{
    /// <summary>Base URL of the ingest replica that runs the models, e.g. <c>http://127.0.0.1:5181</c>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5181";

    /// <summary>File with the service key (mode 0600) ingest accepts from the API.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Timeout of one call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) yield return $"Url: an absolute http(s) URL (was '{Url}').";
        if (KeyFile is not null && !File.Exists(KeyFile)) yield return $"KeyFile: '{KeyFile}' does not exist.";
        if (Timeout <= TimeSpan.Zero) yield return "Timeout: must be positive.";
    }
}
