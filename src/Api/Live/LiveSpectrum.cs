using System.Collections.Concurrent;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.PredictiveMaintenance.Signals;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Live;

/// <summary>The spectrum and envelope spectrum of a rig's newest vibration frame (first axis), reduced to at most
/// <see cref="LiveOptions.SpectrumPoints"/> points by keeping each group's largest bin (so no peak disappears), with the
/// bearing defect frequencies at the rig's current shaft speed. Computed once per frame, whatever the number of viewers:
/// a browser gets ~1,000 numbers instead of the frame's raw samples.</summary>
public sealed class LiveSpectra(IOptions<LiveOptions> options)
{
    private readonly ConcurrentDictionary<RigAddress, (long Version, SpectrumView View)> _cache = new();

    /// <summary>The spectra of <paramref name="rig"/>'s newest frame, or null when it sent none.</summary>
    public SpectrumView? Of(LiveRig rig)
    {
        long version = rig.FrameVersion;
        if (_cache.TryGetValue(rig.Address, out var held) && held.Version == version) return held.View;
        if (rig.Frame is not { } frame || frame.Count < 2) return null;
        double? shaftHz = rig.Values().TryGetValue("speed", out var speed) && speed.Value > 0 ? speed.Value / 60 : null;
        var view = Compute(frame, shaftHz, options.Value);
        _cache[rig.Address] = (version, view);
        return view;
    }

    /// <summary>Computes the view of one frame (at least 2 samples per axis).</summary>
    public static SpectrumView Compute(WaveformFrame frame, double? shaftHz, LiveOptions options)
    {
        if (frame.Count < 2) throw new ArgumentException("A spectrum needs at least 2 samples per axis.", nameof(frame));
        // The largest power of two the frame holds: the envelope's FFT Hilbert transform needs one.
        int n = 1;
        while (n * 2 <= frame.Count) n *= 2;
        var axis = frame.Axis(0)[..n];
        var samples = new double[n];
        for (int i = 0; i < n; i++) samples[i] = axis[i];
        var spectrum = new AmplitudeSpectrum(n, frame.SampleRateHz).Compute(samples);
        double high = Math.Min(options.EnvelopeHighHz, 0.45 * frame.SampleRateHz);
        double[]? envelope = null;
        // The envelope's Hilbert transform needs at least 16 samples; a shorter frame gets its spectrum only.
        if (high > options.EnvelopeLowHz && n >= 16) envelope = new EnvelopeSpectrum(n, frame.SampleRateHz, options.EnvelopeLowHz, high).Compute(samples);
        double binHz = frame.SampleRateHz / n;
        var defects = shaftHz is { } f ? options.Bearing.At(f) : (DefectFrequencies?)null;
        return new SpectrumView(
            frame.Stream, frame.Axes.Count > 0 ? frame.Axes[0] : "x", frame.Unit, UtcTimestamp.Format(frame.StartNanoseconds), frame.SampleRateHz, n,
            MaxHeld(spectrum, binHz, options.SpectrumPoints, frame.SampleRateHz / 2),
            envelope is null ? null : MaxHeld(envelope, binHz, options.SpectrumPoints, Math.Min(frame.SampleRateHz / 2, 1000)),
            shaftHz,
            defects is { } d ? new DefectMarks(d.Bpfo, d.Bpfi, d.Bsf, d.Ftf) : null);
    }

    /// <summary>Bins 0 … up to <paramref name="maxHz"/> folded into at most <paramref name="points"/> (frequency, amplitude) pairs.</summary>
    public static SpectrumLine MaxHeld(ReadOnlySpan<double> amplitudes, double binHz, int points, double maxHz)
    {
        int bins = Math.Min(amplitudes.Length, (int)(maxHz / binHz) + 1);
        int group = Math.Max(1, (bins + points - 1) / points);
        var hz = new List<double>(bins / group + 1);
        var amp = new List<double>(bins / group + 1);
        for (int start = 0; start < bins; start += group)
        {
            int best = start;
            for (int k = start + 1; k < Math.Min(bins, start + group); k++) if (amplitudes[k] > amplitudes[best]) best = k;
            hz.Add(Math.Round(best * binHz, 3));
            amp.Add(amplitudes[best]);
        }
        return new SpectrumLine(hz, amp);
    }
}

/// <summary>What the console draws of a frame: its amplitude spectrum and envelope spectrum, with the bearing marks.</summary>
public sealed record SpectrumView(string Stream, string Axis, string Unit, string T, double SampleRateHz, int Samples,
    SpectrumLine Spectrum, SpectrumLine? Envelope, double? ShaftHz, DefectMarks? Defects);

/// <summary>A spectrum as frequencies (Hz) and amplitudes (the frame's unit).</summary>
public sealed record SpectrumLine(IReadOnlyList<double> Hz, IReadOnlyList<double> Amplitude);

/// <summary>Bearing defect frequencies (Hz) at the current shaft speed: outer race, inner race, ball spin, cage.</summary>
public sealed record DefectMarks(double Bpfo, double Bpfi, double Bsf, double Ftf);
