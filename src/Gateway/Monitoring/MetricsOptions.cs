using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Gateway.Monitoring;

/// <summary>Where the gateway serves Prometheus' <c>/metrics</c> (section <c>Metrics</c>, e.g. <c>--Metrics:Listen=http://127.0.0.1:9464</c>).</summary>
public sealed class MetricsOptions : IValidatableOptions
{
    /// <summary>The URL the small metrics web server listens on; none (the default) serves no metrics. A gateway process
    /// has no other web endpoint, and several of them may run on one host, so the port is chosen per process.</summary>
    public string? Listen { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Listen is null) yield break;
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Port <= 0)
            yield return $"Listen: '{Listen}' is not an http://host:port URL (e.g. http://127.0.0.1:9464).";
    }
}
