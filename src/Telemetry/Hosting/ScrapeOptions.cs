namespace Fieldlab.Telemetry.Hosting;

/// <summary>Who may read a service's Prometheus <c>/metrics</c> besides callers on the same host (section <c>Scrape</c>).</summary>
public sealed class ScrapeOptions : IValidatableOptions
{
    /// <summary>A file holding the bearer credential a Prometheus on another host sends (its scrape job's
    /// <c>authorization: { credentials_file: … }</c>). Without it <c>/metrics</c> answers loopback callers only.</summary>
    public string? TokenFile { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (TokenFile is null) yield break;
        if (!File.Exists(TokenFile)) yield return $"TokenFile: '{TokenFile}' does not exist.";
        else if (File.ReadAllText(TokenFile).Trim().Length < 16) yield return $"TokenFile: '{TokenFile}' holds no credential of at least 16 characters.";
    }
}
