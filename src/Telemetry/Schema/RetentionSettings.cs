namespace Fieldlab.Telemetry.Schema;

/// <summary>How long each retention policy of <see cref="FieldlabSchema"/> keeps points (the default policy keeps them
/// for good). Set by the provisioning (<c>fieldlab access influx</c>) or by ingest where it is admin.</summary>
public sealed record RetentionSettings
{
    /// <summary>Raw waveform frames (<c>waveform_raw</c>); at least 1 hour (InfluxDB's shortest).</summary>
    public TimeSpan Waveform { get; init; } = FieldlabSchema.WaveformRaw.DefaultDuration!.Value;

    /// <summary>Raw samples (<c>samples_raw</c>); at least 1 day, so the hourly continuous query always finds its two hours.</summary>
    public TimeSpan Samples { get; init; } = FieldlabSchema.SamplesRaw.DefaultDuration!.Value;

    /// <summary>1-minute aggregates (<c>means_1m</c>); at least 1 day.</summary>
    public TimeSpan MinuteMeans { get; init; } = FieldlabSchema.Means1m.DefaultDuration!.Value;

    /// <summary>1-hour aggregates (<c>means_1h</c>); null keeps them for good.</summary>
    public TimeSpan? HourMeans { get; init; } = FieldlabSchema.Means1h.DefaultDuration;

    /// <summary>The duration of <paramref name="policy"/>, null for ever.</summary>
    public TimeSpan? DurationOf(RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy == FieldlabSchema.WaveformRaw) return Waveform;
        if (policy == FieldlabSchema.SamplesRaw) return Samples;
        if (policy == FieldlabSchema.Means1m) return MinuteMeans;
        if (policy == FieldlabSchema.Means1h) return HourMeans;
        if (policy.IsDefault) return null;
        throw new ArgumentException($"'{policy.Name}' is no retention policy of the schema.", nameof(policy));
    }

    /// <summary>What is wrong with the settings, if anything (option names as <c>Ingest:</c> spells them).</summary>
    public IEnumerable<string> Validate()
    {
        if (Waveform < TimeSpan.FromHours(1)) yield return "WaveformRetention: InfluxDB's shortest retention is 1 hour.";
        if (Samples < TimeSpan.FromDays(1)) yield return "SamplesRetention: at least 1 day (the hourly means read the last two hours of raw samples).";
        if (MinuteMeans < TimeSpan.FromDays(1)) yield return "MinuteMeansRetention: at least 1 day.";
        if (HourMeans is { } h && h < TimeSpan.FromDays(1)) yield return "HourMeansRetention: at least 1 day, or empty for ever.";
    }
}
