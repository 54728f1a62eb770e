using System.Diagnostics.Metrics;

namespace Fieldlab.Ingest.Monitoring;

/// <summary>The ingest service's one <see cref="System.Diagnostics.Metrics.Meter"/>, <c>Fieldlab.Ingest</c>, which
/// <c>/metrics</c> exports; <see cref="IngestCounters"/> and <see cref="IngestGauges"/> put their instruments on it.</summary>
public sealed class IngestMeter(IMeterFactory factory)
{
    /// <summary>The meter's name.</summary>
    public const string Name = "Fieldlab.Ingest";

    /// <summary>The meter.</summary>
    public Meter Meter { get; } = factory.Create(Name);
}
