using Fieldlab.Api.Live;
using Fieldlab.PredictiveMaintenance.Bearings;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Tests.Live;

/// <summary>The live spectrum of a vibration frame: peaks where and as large as the signal's sines, reduced by max-hold
/// to at most <see cref="LiveOptions.SpectrumPoints"/> points without losing a peak, with the SKF 6205 defect marks and
/// an envelope spectrum that reveals a modulation of the 2–5 kHz band.</summary>
public sealed class LiveSpectraTests
{
    // 4096 samples at 12.8 kHz: bins of 12800 / 4096 = 3.125 Hz, so 1000 Hz is bin 320 exactly (bin-centred).
    private const double Rate = 12_800;
    private const int Count = 4096;
    private const double BinHz = Rate / Count;

    private static (double Hz, double Amplitude) Peak(SpectrumLine line, double fromHz = 0, double toHz = double.MaxValue)
    {
        int best = -1;
        for (int i = 0; i < line.Hz.Count; i++)
        {
            if (line.Hz[i] < fromHz || line.Hz[i] > toHz) continue;
            if (best < 0 || line.Amplitude[i] > line.Amplitude[best]) best = i;
        }
        Assert.True(best >= 0, $"no point between {fromHz} and {toHz} Hz");
        return (line.Hz[best], line.Amplitude[best]);
    }

    private static double LargestAway(SpectrumLine line, double hz, double distanceHz) =>
        line.Hz.Select((f, i) => (f, a: line.Amplitude[i])).Where(p => Math.Abs(p.f - hz) > distanceHz).Max(p => p.a);

    [Fact]
    public void BinCentredSine_PeaksAtItsFrequency_WithItsAmplitude()
    {
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(Rate, Count, 1000, 2.5), null, new LiveOptions());
        var (hz, amplitude) = Peak(view.Spectrum);
        Assert.Equal(1000.0, hz);
        // Hann-scaled (4/N inside the band): a bin-centred sine reads its amplitude; float32 samples cost ~1e-7.
        Assert.Equal(2.5, amplitude, 1e-3);
        // Hann leaks into the neighbouring bins only (±1 bin reads A/2); beyond them the spectrum is clean.
        Assert.True(LargestAway(view.Spectrum, 1000, 3 * 3 * BinHz) < 1e-3, $"leakage {LargestAway(view.Spectrum, 1000, 3 * 3 * BinHz)}");
    }

    [Fact]
    public void SecondSine_AtItsOwnFrequency_HasItsOwnAmplitude()
    {
        // 250 Hz = bin 80 and 3125 Hz = bin 1000; amplitudes 0.8 and 1.6.
        var frame = SyntheticFrames.Of(Rate, Count, ["accel_x"], [t => 0.8 * Math.Sin(2 * Math.PI * 250 * t) + 1.6 * Math.Sin(2 * Math.PI * 3125 * t)]);
        var view = LiveSpectra.Compute(frame, null, new LiveOptions());
        var low = Peak(view.Spectrum, 0, 1000);
        var high = Peak(view.Spectrum, 2000, 6400);
        Assert.Equal(250.0, low.Hz);
        Assert.Equal(0.8, low.Amplitude, 1e-3);
        Assert.Equal(3125.0, high.Hz);
        Assert.Equal(1.6, high.Amplitude, 1e-3);
    }

    [Fact]
    public void Spectrum_IsOfTheFirstAxis_OfAFrameLaidOutAxisAfterAxis()
    {
        // x: 1000 Hz, amplitude 1; y: 2000 Hz, amplitude 5. Reading the interleaved or the wrong axis shows 2000 Hz.
        var frame = SyntheticFrames.Of(Rate, Count, ["accel_x", "accel_y"],
            [t => Math.Sin(2 * Math.PI * 1000 * t), t => 5 * Math.Sin(2 * Math.PI * 2000 * t)]);
        var view = LiveSpectra.Compute(frame, null, new LiveOptions());
        Assert.Equal("accel_x", view.Axis);
        Assert.Equal(Count, view.Samples);
        var (hz, amplitude) = Peak(view.Spectrum);
        Assert.Equal(1000.0, hz);
        Assert.Equal(1.0, amplitude, 1e-3);
        Assert.True(Peak(view.Spectrum, 1900, 2100).Amplitude < 1e-3, "the second axis leaked into the first axis's spectrum");
    }

    [Fact]
    public void FrameOfNoPowerOfTwo_IsAnalysedOnItsLargestPowerOfTwo()
    {
        // 5000 samples: the view uses the first 4096, so the bins stay 3.125 Hz and 1000 Hz stays bin-centred
        // (over 5000 samples the bins would be 2.56 Hz and 1000 Hz would fall between two, reading ~15 % low).
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(Rate, 5000, 1000, 2.0), null, new LiveOptions());
        Assert.Equal(4096, view.Samples);
        var (hz, amplitude) = Peak(view.Spectrum);
        Assert.Equal(1000.0, hz);
        Assert.Equal(2.0, amplitude, 1e-3);
    }

    [Fact]
    public void View_DescribesItsFrame()
    {
        var frame = SyntheticFrames.Sine(Rate, Count, 1000, 1);
        var view = LiveSpectra.Compute(frame, null, new LiveOptions());
        Assert.Equal("vibration", view.Stream);
        Assert.Equal("m/s2", view.Unit);
        Assert.Equal(Rate, view.SampleRateHz);
        Assert.Equal("2026-11-22T09:04:21.818090Z", view.T);
        Assert.Null(view.ShaftHz);
        Assert.Null(view.Defects);
    }

    [Theory]
    [InlineData(1024)] // the default: 2049 bins fold into 683 points (groups of 3)
    [InlineData(100)] // groups of 21
    [InlineData(64)] // the smallest allowed: groups of 33
    public void ReducedLine_HasAtMostSpectrumPoints_AndKeepsThePeak(int points)
    {
        // The full spectrum has 4096 / 2 + 1 = 2049 bins, more than any of these limits: without reduction the test fails.
        var options = new LiveOptions { SpectrumPoints = points };
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(Rate, Count, 1000, 2.5), null, options);
        Assert.InRange(view.Spectrum.Hz.Count, 1, points);
        Assert.Equal(view.Spectrum.Hz.Count, view.Spectrum.Amplitude.Count);
        // Max-hold: the one-bin peak survives with its full amplitude at its own frequency (decimating or averaging
        // would lose it or lower it).
        var (hz, amplitude) = Peak(view.Spectrum);
        Assert.Equal(1000.0, hz);
        Assert.Equal(2.5, amplitude, 1e-3);
        // The line still reaches the Nyquist frequency, in increasing frequency.
        Assert.True(view.Spectrum.Hz[^1] > Rate / 2 - 40 * BinHz, $"last point at {view.Spectrum.Hz[^1]} Hz");
        Assert.True(view.Spectrum.Hz.Zip(view.Spectrum.Hz.Skip(1)).All(p => p.First < p.Second), "frequencies not increasing");
    }

    [Fact]
    public void MaxHeld_KeepsEachGroupsLargestBin_AtThatBinsFrequency()
    {
        // 10 bins of 10 Hz into at most 3 points: groups of ⌈10 / 3⌉ = 4 bins, [0–3] [4–7] [8–9].
        double[] amplitudes = [0, 1, 0, 0, 0, 0, 7, 0, 0, 3];
        var line = LiveSpectra.MaxHeld(amplitudes, 10, 3, 1000);
        Assert.Equal(new[] { 10.0, 60.0, 90.0 }, line.Hz);
        Assert.Equal(new[] { 1.0, 7.0, 3.0 }, line.Amplitude);
    }

    [Fact]
    public void MaxHeld_StopsAtMaxHz()
    {
        // Up to 45 Hz: bins 0–4 (5 bins) into at most 3 points, groups of 2; the 7 at 60 Hz lies beyond.
        double[] amplitudes = [0, 1, 0, 2, 0, 0, 7, 0];
        var line = LiveSpectra.MaxHeld(amplitudes, 10, 3, 45);
        Assert.Equal(new[] { 10.0, 30.0, 40.0 }, line.Hz);
        Assert.Equal(new[] { 1.0, 2.0, 0.0 }, line.Amplitude);
    }

    [Fact]
    public void MaxHeld_OfManySizes_NeverExceedsItsPoints_AndEveryPointIsARealBin()
    {
        var random = new Random(6205);
        foreach (int bins in new[] { 1, 2, 63, 64, 65, 1000, 1025, 2049, 8193 })
        {
            foreach (int points in new[] { 64, 100, 1024 })
            {
                var amplitudes = Enumerable.Range(0, bins).Select(_ => random.NextDouble()).ToArray();
                var line = LiveSpectra.MaxHeld(amplitudes, 0.5, points, bins * 0.5);
                Assert.InRange(line.Hz.Count, Math.Min(bins, 1), points);
                // The largest bin is always kept, and each point is a bin with its own amplitude.
                Assert.Equal(amplitudes.Max(), line.Amplitude.Max());
                for (int i = 0; i < line.Hz.Count; i++) Assert.Equal(amplitudes[(int)Math.Round(line.Hz[i] / 0.5)], line.Amplitude[i]);
                // No point is lost to integer rounding: fewer than points only when groups had to grow.
                if (bins <= points) Assert.Equal(bins, line.Hz.Count);
            }
        }
    }

    [Fact]
    public void DefectMarks_AreTheSkf6205FrequenciesAtTheShaftSpeed()
    {
        const double shaftHz = 29.95; // 1797 rpm, CWRU's 0 hp speed
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(Rate, Count, 1000, 1), shaftHz, new LiveOptions());
        var expected = BearingGeometry.Skf6205.At(shaftHz);
        Assert.Equal(shaftHz, view.ShaftHz);
        Assert.NotNull(view.Defects);
        Assert.Equal(expected.Bpfo, view.Defects.Bpfo, 9);
        Assert.Equal(expected.Bpfi, view.Defects.Bpfi, 9);
        Assert.Equal(expected.Bsf, view.Defects.Bsf, 9);
        Assert.Equal(expected.Ftf, view.Defects.Ftf, 9);
        // And by hand (d/D = 7.94 / 39.04 = 0.203381): BPFO = 4.5 (1 − 0.203381) fr = 3.584785 fr = 107.364 Hz;
        // BPFI = 5.415215 fr = 162.186 Hz; BSF = D/d (1 − (d/D)²) fr = 4.713495 fr = 141.169 Hz; FTF = 0.398309 fr = 11.929 Hz.
        Assert.Equal(107.364, view.Defects.Bpfo, 1e-3);
        Assert.Equal(162.186, view.Defects.Bpfi, 1e-3);
        Assert.Equal(141.169, view.Defects.Bsf, 1e-3);
        Assert.Equal(11.929, view.Defects.Ftf, 1e-3);
    }

    [Fact]
    public void ModulatedCarrierInTheBand_ShowsItsModulationInTheEnvelopeLine_NotInTheSpectrum()
    {
        // A 3.5 kHz carrier (inside the 2–5 kHz band) modulated at 90 Hz, depth 0.5: the envelope is 1 + 0.5 cos(2π·90 t),
        // so the envelope spectrum peaks at 90 Hz (bin 28.8: the nearest bins are 87.5 and 90.625 Hz) with ~0.5 less
        // Hann scalloping, while the plain spectrum has only the carrier and its sidebands at 3410 and 3590 Hz.
        var view = LiveSpectra.Compute(SyntheticFrames.Modulated(Rate, Count, 3500, 90, 0.5), null, new LiveOptions());
        Assert.NotNull(view.Envelope);
        Assert.InRange(view.Envelope.Hz.Count, 1, 1024);
        Assert.True(view.Envelope.Hz[^1] <= 1000, $"the envelope line reaches {view.Envelope.Hz[^1]} Hz; it should stop at 1 kHz");
        var (hz, amplitude) = Peak(view.Envelope, 10, 1000);
        Assert.InRange(hz, 90 - BinHz, 90 + BinHz);
        Assert.InRange(amplitude, 0.25, 0.55);
        // The 90 Hz line stands out of the envelope spectrum (the band-pass's start-up transient is the only other content).
        double elsewhere = LargestAway(view.Envelope, 90, 4 * BinHz);
        Assert.True(amplitude > 4 * elsewhere, $"envelope peak {amplitude:F3} at {hz} Hz against {elsewhere:F3} elsewhere");
        // In the plain spectrum there is nothing at 90 Hz: only the envelope reveals it.
        Assert.True(Peak(view.Spectrum, 60, 120).Amplitude < 0.01, "the plain spectrum shows the modulation frequency itself");
        Assert.Equal(3500.0, Peak(view.Spectrum).Hz, 0);
    }

    [Theory]
    [InlineData(4000)] // 0.45 × 4000 = 1800 Hz: the band's upper edge falls below its 2 kHz lower edge
    [InlineData(4096)] // 1843 Hz
    public void NoEnvelope_WhenTheSampleRateIsTooLowForTheBand(double rate)
    {
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(rate, Count, 500, 1), null, new LiveOptions());
        Assert.Null(view.Envelope);
        // The plain spectrum is still there: only the envelope needs the band.
        Assert.Equal(500.0, Peak(view.Spectrum).Hz, 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(15)]
    public void FrameTooShortForTheEnvelope_GivesNoEnvelope_InsteadOfThrowing(int count)
    {
        // The wire format accepts 1 … 65,536 samples per axis (docs/telemetry.md, "Waveform frame"), and ingest stores
        // such a frame; the envelope's FFT Hilbert transform needs at least 16. A short frame must not make the live view
        // throw, which ends every spectrum stream of the rig (ShortWaveformFrame_DoesNotEndTheRigsSpectrumStream).
        var spectra = new LiveSpectra(Options.Create(new LiveOptions()));
        var rig = new LiveRig(new RigAddress("lab", "motor-1"));
        rig.Take(SyntheticFrames.Sine(Rate, count, 1600, 1));
        var error = Record.Exception(() => spectra.Of(rig));
        Assert.Null(error);
        // No view at all, or one without an envelope: both are honest; a made-up envelope is not.
        Assert.Null(spectra.Of(rig)?.Envelope);
    }

    [Fact]
    public void EnvelopeBand_IsLoweredToTheSampleRate_WhenItStillLiesAboveTheLowerEdge()
    {
        // At 5 kHz the band becomes 2000–2250 Hz (0.45 × 5000): narrow, but there.
        var view = LiveSpectra.Compute(SyntheticFrames.Sine(5000, Count, 500, 1), null, new LiveOptions());
        Assert.NotNull(view.Envelope);
    }

    [Fact]
    public void Of_TakesTheShaftSpeedFromTheRigsSpeedInRpm_AndComputesOncePerFrame()
    {
        var spectra = new LiveSpectra(Options.Create(new LiveOptions()));
        var rig = new LiveRig(new RigAddress("lab", "motor-1"));
        Assert.Null(spectra.Of(rig)); // no frame yet
        rig.Take("speed", SyntheticFrames.DefaultStartNs, 1800); // rpm → 30 Hz
        rig.Take(SyntheticFrames.Sine(Rate, Count, 1000, 1));
        var first = spectra.Of(rig);
        Assert.NotNull(first);
        Assert.Equal(30.0, first.ShaftHz);
        Assert.Equal(BearingGeometry.Skf6205.At(30).Bpfo, first.Defects!.Bpfo, 9);
        // The same frame: the same view, not computed again for every viewer.
        Assert.Same(first, spectra.Of(rig));
        // A newer frame: a new view of it.
        rig.Take(SyntheticFrames.Sine(Rate, Count, 2000, 1, SyntheticFrames.DefaultStartNs + 1_000_000_000));
        var second = spectra.Of(rig);
        Assert.NotSame(first, second);
        Assert.Equal(2000.0, Peak(second!.Spectrum).Hz);
    }
}
