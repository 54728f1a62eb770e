using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Tests.Live;

/// <summary>Vibration frames of known content for the live-spectrum tests: sines and amplitude-modulated carriers.</summary>
internal static class SyntheticFrames
{
    /// <summary>A time well inside any test's visible window: 2026-11-22T09:04:21.818090Z.</summary>
    public const long DefaultStartNs = 1_795_338_261_818_090_000;

    /// <summary>One axis per signal, laid out axis after axis as on the wire; <paramref name="signals"/> maps time (s) to a sample.</summary>
    public static WaveformFrame Of(double sampleRateHz, int count, string[] axes, Func<double, double>[] signals, long startNs = DefaultStartNs,
        string stream = "vibration", string unit = "m/s2")
    {
        var samples = new float[count * axes.Length];
        for (int a = 0; a < axes.Length; a++)
        {
            for (int i = 0; i < count; i++) samples[a * count + i] = (float)signals[a](i / sampleRateHz);
        }
        return new WaveformFrame(stream, 0, startNs, sampleRateHz, axes, unit, samples);
    }

    /// <summary>A single-axis frame of <c>amplitude · sin(2π f t)</c>.</summary>
    public static WaveformFrame Sine(double sampleRateHz, int count, double frequencyHz, double amplitude, long startNs = DefaultStartNs) =>
        Of(sampleRateHz, count, ["accel_x"], [t => amplitude * Math.Sin(2 * Math.PI * frequencyHz * t)], startNs);

    /// <summary>A carrier amplitude-modulated at <paramref name="modulationHz"/> with depth <paramref name="depth"/>: what a
    /// bearing defect's impacts, ringing a structural resonance, look like.</summary>
    public static WaveformFrame Modulated(double sampleRateHz, int count, double carrierHz, double modulationHz, double depth) =>
        Of(sampleRateHz, count, ["accel_x"],
            [t => (1 + depth * Math.Cos(2 * Math.PI * modulationHz * t)) * Math.Sin(2 * Math.PI * carrierHz * t)]);
}
