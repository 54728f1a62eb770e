namespace Fieldlab.Cli.Bench;

/// <summary>The settings of <c>bench console</c>; the defaults here are the command line's defaults.</summary>
public sealed record ConsoleBenchSettings
{
    /// <summary>Simulated pumps added to the demo's four rigs.</summary>
    public int ExtraRigs { get; init; } = 8;

    /// <summary>Plain Server-Sent-Events viewers (each on the site's stream: every rig).</summary>
    public int SseViewers { get; init; } = 48;

    /// <summary>Real headless-browser viewers (each on motor-1's rig page: charts and spectra).</summary>
    public int BrowserViewers { get; init; } = 2;

    /// <summary>How long the viewers are measured, after a warm-up.</summary>
    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Chromium to drive.</summary>
    public string Chromium { get; init; } = Environment.GetEnvironmentVariable("FIELDLAB_CHROMIUM") ?? "/usr/bin/chromium";
}
