using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.Telemetry.Hosting;

namespace Fieldlab.Api.Live;

/// <summary>Options of the console's live streams (section <c>Live</c>).</summary>
public sealed class LiveOptions : IValidatableOptions
{
    /// <summary>Shortest time between two updates of one stream (100 ms: at most 10 updates a second per chart).</summary>
    public TimeSpan MinUpdateInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Shortest time between two spectra of one stream (a spectrum is ~1,000 points).</summary>
    public TimeSpan MinSpectrumInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a stream evaluates its caller's rights again (a pilot that starts or ends changes what it may see).</summary>
    public TimeSpan RightsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most points of a spectrum sent to a browser (bins are max-held into this many).</summary>
    public int SpectrumPoints { get; set; } = 1024;

    /// <summary>Envelope band-pass (Hz), as ingest's bearing model uses it (ConditionMonitoring:EnvelopeLowHz).</summary>
    public double EnvelopeLowHz { get; set; } = 2000;

    /// <summary>Envelope band-pass upper edge (Hz); lowered to 0.45 × the sample rate when above it.</summary>
    public double EnvelopeHighHz { get; set; } = 5000;

    /// <summary>The monitored bearing whose defect frequencies are marked (the same default as ingest: SKF 6205).</summary>
    public int BearingBalls { get; set; } = BearingGeometry.Skf6205.Balls;

    /// <summary>Ball diameter, mm.</summary>
    public double BearingBallDiameterMm { get; set; } = BearingGeometry.Skf6205.BallDiameterMm;

    /// <summary>Pitch diameter, mm.</summary>
    public double BearingPitchDiameterMm { get; set; } = BearingGeometry.Skf6205.PitchDiameterMm;

    /// <summary>The bearing's geometry.</summary>
    public BearingGeometry Bearing => new(BearingBalls, BearingBallDiameterMm, BearingPitchDiameterMm);

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (MinUpdateInterval < TimeSpan.FromMilliseconds(20)) yield return "MinUpdateInterval: at least 20 ms";
        if (MinSpectrumInterval < MinUpdateInterval) yield return "MinSpectrumInterval: at least MinUpdateInterval";
        if (RightsInterval < TimeSpan.FromSeconds(1)) yield return "RightsInterval: at least 1 s";
        if (SpectrumPoints is < 64 or > 8192) yield return "SpectrumPoints: 64 … 8192";
        if (!(EnvelopeLowHz > 0 && EnvelopeHighHz > EnvelopeLowHz)) yield return "EnvelopeLowHz/EnvelopeHighHz: 0 < low < high";
        if (BearingBalls < 3 || !(BearingBallDiameterMm > 0) || !(BearingPitchDiameterMm > BearingBallDiameterMm)) yield return "Bearing: at least 3 balls, 0 < ball diameter < pitch diameter";
    }
}
